import { compositeKey, copy, run } from './memory-kit';
import { contentHash, parseStoreInput, storeConflict, storeSchemas as schemas, storeTimestamp } from './store-input';
import type { DataRecord, SyncCheckpoint } from './store-records';
import type { SyncDeadLetter, SyncLease, SyncRepository } from './store-sync';

/** What the memory store shares with its sync repository. */
export interface MemorySyncState {
  readonly records: Map<string, DataRecord>;
  readonly checkpoints: Map<string, SyncCheckpoint>;
  /** Throws `not_found` when the integration does not exist. */
  readonly requireIntegration: (id: string, operation: string) => void;
}

/** The memory store's {@link SyncRepository}, and how it forgets a deleted integration's leases, marks and dead letters. */
export function createMemorySync(state: MemorySyncState): { sync: SyncRepository; forget: (integrationId: string) => void } {
  const { records, checkpoints, requireIntegration } = state;
  const leases = new Map<string, SyncLease>();
  /** The last full pass that saw each record (by record key). */
  const seenBy = new Map<string, string>();
  let deadLetters: SyncDeadLetter[] = [];
  let nextDeadLetterId = 1;

  const liveLease = (integrationId: string): SyncLease | undefined => {
    const lease = leases.get(integrationId);
    return lease !== undefined && Date.parse(lease.expiresAt) > Date.now() ? lease : undefined;
  };
  const requireLease = (integrationId: string, owner: string, operation: string): void => {
    requireIntegration(integrationId, operation);
    // The owner is the fence: a lease that expired but that nobody took since is still this run's.
    if (leases.get(integrationId)?.owner !== owner)
      throw storeConflict(operation, `"${owner}" does not hold the sync lease of integration "${integrationId}"`);
  };
  const putCheckpoint = (integrationId: string, stream: string, cursor: string): void => {
    checkpoints.set(compositeKey(integrationId, stream), { integrationId, stream, cursor, updatedAt: storeTimestamp() });
  };

  const sync: SyncRepository = {
    acquireLease: (integrationId, owner, ttlMs) =>
      run(() => {
        const input = parseStoreInput(schemas.syncLease, { integrationId, owner, ttlMs }, 'store.sync.acquireLease');
        requireIntegration(input.integrationId, 'store.sync.acquireLease');
        const held = liveLease(input.integrationId);
        if (held !== undefined && held.owner !== input.owner) return undefined;
        const lease: SyncLease = {
          integrationId: input.integrationId,
          owner: input.owner,
          expiresAt: new Date(Date.now() + input.ttlMs).toISOString(),
        };
        leases.set(input.integrationId, lease);
        return copy(lease);
      }),
    releaseLease: (integrationId, owner) =>
      run(() => {
        parseStoreInput(schemas.syncLeaseKey, { integrationId, owner }, 'store.sync.releaseLease');
        if (leases.get(integrationId)?.owner === owner) leases.delete(integrationId);
      }),
    getLease: (integrationId) =>
      run(() => {
        const lease = liveLease(parseStoreInput(schemas.key, integrationId, 'store.sync.getLease'));
        return lease === undefined ? undefined : copy(lease);
      }),
    applyBatch: (batch) =>
      run(() => {
        const input = parseStoreInput(schemas.syncBatch, batch, 'store.sync.applyBatch');
        requireLease(input.integrationId, input.leaseOwner, 'store.sync.applyBatch');
        const outcome = { created: 0, updated: 0, unchanged: 0, deleted: 0, deadLettered: 0 };
        const now = storeTimestamp();
        for (const { externalId, data } of input.records) {
          const key = compositeKey(input.integrationId, input.entity, externalId);
          const existing = records.get(key);
          const hash = contentHash(data);
          if (input.pass !== undefined) seenBy.set(key, input.pass);
          if (existing?.hash === hash) {
            outcome.unchanged += 1;
            continue;
          }
          records.set(
            key,
            copy({
              integrationId: input.integrationId,
              entity: input.entity,
              externalId,
              data,
              hash,
              createdAt: existing?.createdAt ?? now,
              updatedAt: now,
            }),
          );
          outcome[existing === undefined ? 'created' : 'updated'] += 1;
        }
        for (const externalId of input.deletes) {
          const key = compositeKey(input.integrationId, input.entity, externalId);
          if (records.delete(key)) outcome.deleted += 1;
          seenBy.delete(key);
        }
        for (const letter of input.deadLetters) {
          deadLetters.push(
            copy({
              id: nextDeadLetterId++,
              integrationId: input.integrationId,
              entity: input.entity,
              externalId: letter.externalId,
              reason: letter.reason,
              data: letter.data,
              createdAt: now,
            }),
          );
          outcome.deadLettered += 1;
        }
        putCheckpoint(input.integrationId, input.stream, input.cursor);
        return outcome;
      }),
    endPass: (end) =>
      run(() => {
        const input = parseStoreInput(schemas.syncPassEnd, end, 'store.sync.endPass');
        requireLease(input.integrationId, input.leaseOwner, 'store.sync.endPass');
        let deleted = 0;
        for (const [key, record] of records) {
          if (record.integrationId !== input.integrationId || record.entity !== input.entity || seenBy.get(key) === input.pass) continue;
          records.delete(key);
          seenBy.delete(key);
          deleted += 1;
        }
        putCheckpoint(input.integrationId, input.stream, input.cursor);
        return { deleted };
      }),
    listDeadLetters: (integrationId, options) =>
      run(() => {
        const key = parseStoreInput(schemas.key, integrationId, 'store.sync.listDeadLetters');
        const { limit } = parseStoreInput(schemas.deadLetterQuery, options, 'store.sync.listDeadLetters');
        return copy(deadLetters.filter((letter) => letter.integrationId === key).slice(0, limit));
      }),
    countRecords: (integrationId, entity) =>
      run(() => {
        const input = parseStoreInput(schemas.recordCount, { integrationId, entity }, 'store.sync.countRecords');
        let count = 0;
        for (const record of records.values()) {
          if (record.integrationId === input.integrationId && (input.entity === undefined || record.entity === input.entity)) count += 1;
        }
        return count;
      }),
  };

  const forget = (integrationId: string): void => {
    leases.delete(integrationId);
    deadLetters = deadLetters.filter((letter) => letter.integrationId !== integrationId);
    for (const key of seenBy.keys()) if (!records.has(key)) seenBy.delete(key);
  };
  return { sync, forget };
}
