import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { IntegrationError, toIntegrationError, type Hub } from '@switchyard/core';
import type { Store } from '../store/store';
import type { JsonObject } from '../store/store-records';
import { contentHash } from '../store/store-input';
import { hubListSource, type SyncMapping } from './sync-source';
import { holdSyncLease } from './sync-lease';

/** Where {@link syncBetweenProviders} reads: a hub list operation that pages with `cursor` / `nextCursor`, pinned to one provider. */
export interface ProviderSyncSource {
  /** The provider to read from; the read never fails over to another. */
  readonly provider: string;
  /** E.g. `issues`. */
  readonly capability: string;
  /** A list operation taking `cursor` and `limit`, e.g. `searchIssues`. */
  readonly listOperation: string;
  /** The rest of the operation's input, e.g. `{ project: 'acme/website', state: 'all' }`. */
  readonly input: JsonObject;
  /** The field of the output that holds the page's records, e.g. `issues`. */
  readonly items: string;
  /** A source record's id. Default: its `id` field (a string, or a number as text). */
  readonly externalId?: ((item: JsonObject) => string | undefined) | undefined;
  /** Records per page. Default: 100. */
  readonly pageSize?: number | undefined;
}

/** What a target write is told besides the mapped record. */
export interface ProviderSyncWriteContext {
  /** The source record's id; put it into the target (a marker) when `to.find` should recognise the record after a crash. */
  readonly sourceId: string;
}

/** Where {@link syncBetweenProviders} writes: operations of one provider, called through the hub with `{ only: [provider] }`. */
export interface ProviderSyncTarget {
  /** The provider to write to; a write never fails over to another. */
  readonly provider: string;
  /** E.g. `issues`. */
  readonly capability: string;
  /** Creates the record the first time its source record is seen. */
  readonly create: {
    readonly operation: string;
    readonly input: (record: JsonObject, context: ProviderSyncWriteContext) => JsonObject;
    /** The created record's id, to address updates. Default: the output's `id` field (a string, or a number as text). */
    readonly id?: ((output: JsonObject) => string | undefined) | undefined;
  };
  /** Writes a source record whose mapped content changed since it was last written. Default: none (a create-only sync). */
  readonly update?:
    | {
        readonly operation: string;
        readonly input: (record: JsonObject, targetId: string, context: ProviderSyncWriteContext) => JsonObject;
      }
    | undefined;
  /**
   * Finds the target record written for a source record, for the records
   * whose create may have happened without its link being stored (a crash or
   * failure in between). Typically searches the target for the marker
   * `create.input` put in. Default: none — such a record is created again
   * (at least once), which may leave a duplicate in the target.
   */
  readonly find?: ((context: ProviderSyncWriteContext & { readonly record: JsonObject }) => Promise<string | undefined>) | undefined;
}

/** Options of {@link syncBetweenProviders}. */
export interface ProviderSyncOptions {
  readonly hub: Pick<Hub, 'execute'>;
  /** Where the links (source id → target id and content hash) are kept. */
  readonly store: Store;
  /** The integration the links are stored under; the run holds its sync lease, so one run per integration happens at a time. */
  readonly integrationId: string;
  /** The stored links' entity, e.g. `issue-link`. */
  readonly entity: string;
  readonly from: ProviderSyncSource;
  readonly to: ProviderSyncTarget;
  /** Source record → the record `to.create.input` and `to.update.input` get, e.g. a compiled JSONata mapping. Default: the record as read. */
  readonly mapping?: SyncMapping | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Told after every page. */
  readonly onProgress?: ((summary: ProviderSyncSummary) => void) | undefined;
  /** How long the lease lasts without renewal; renewed every third of it. Default: 60 000 ms. */
  readonly leaseMs?: number | undefined;
}

/** A source record that was not written, and why. */
export interface ProviderSyncFailure {
  readonly sourceId: string | undefined;
  readonly message: string;
}

/** What {@link syncBetweenProviders} did. */
export interface ProviderSyncSummary {
  /** Source records read. */
  readonly read: number;
  /** Target records created. */
  readonly created: number;
  /** Target records updated because their mapped content changed. */
  readonly updated: number;
  /** Source records whose mapped content was already written (or that changed in a create-only sync). */
  readonly unchanged: number;
  /** Target records a previous, interrupted run had created, found again through `to.find` (and updated when an update is configured). */
  readonly recovered: number;
  /** Source records without an id, refused by the mapping, or refused by the target. */
  readonly failed: number;
  /** Why, for the first 100 failed records. */
  readonly failures: readonly ProviderSyncFailure[];
}

/** A stored link: the target record written for a source record, and the hash of the mapped content written. */
interface Link {
  readonly targetId?: string | undefined;
  readonly hash: string;
  /** Set before a create and cleared after it: a link left pending means the create may or may not have happened. */
  readonly pending?: boolean | undefined;
}

const FAILURE_LIMIT = 100;
/** Failures that concern the whole run rather than one record: the run stops with them. */
const RUN_FAILURES = new Set(['auth', 'network', 'timeout', 'rate_limit', 'circuit_open', 'conflict', 'unsupported']);

const idOf = (value: JsonObject): string | undefined => {
  const id = value['id'];
  if (typeof id === 'string' && id !== '') return id;
  return typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined;
};

function readLink(data: JsonObject): Link | undefined {
  const hash = data['hash'];
  if (typeof hash !== 'string') return undefined;
  const targetId = data['targetId'];
  return { hash, targetId: typeof targetId === 'string' ? targetId : undefined, pending: data['pending'] === true };
}

/**
 * Reads every record of one provider, maps it, and writes it to another
 * through the hub (seed 000's provider-to-provider sync: GitHub issues →
 * GitLab issues, CRM → CRM), idempotent on re-run. For each source record
 * the store keeps a link in the integration's synced records (`entity`,
 * external id = the source id, data = `{ targetId, hash }`): a re-run creates
 * nothing that is linked, updates only records whose mapped content hash
 * changed, and leaves the rest alone.
 *
 * Crash window: a link is stored as `pending` before each create and
 * completed after it. A create that succeeded without its link being
 * completed leaves the link pending; the next run asks `to.find` for the
 * target record (by a marker the create put in) and adopts it. Without
 * `to.find` the record is created again: at least once, never lost.
 * Records deleted at the source are not deleted at the target.
 *
 * @example
 * ```ts
 * const summary = await syncBetweenProviders({
 *   hub, store, integrationId: link.id, entity: 'issue-link', mapping: compileMapping(githubToGitlab),
 *   from: { provider: 'github', capability: 'issues', listOperation: 'searchIssues', input: { project: 'acme/web', state: 'all' }, items: 'issues' },
 *   to: { provider: 'gitlab', capability: 'issues',
 *     create: { operation: 'createIssue', input: (issue) => ({ project: 'acme/web', ...issue }) },
 *     update: { operation: 'updateIssue', input: (issue, issueId) => ({ project: 'acme/web', issueId, ...issue }) } },
 * });
 * ```
 */
export async function syncBetweenProviders(options: ProviderSyncOptions): Promise<ProviderSyncSummary> {
  const { hub, store, integrationId, entity, from, to } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const owner = `${hostname()}:${process.pid}:provider-sync:${randomUUID()}`;
  const operation = 'sync.syncBetweenProviders';
  await store.integrations.get(integrationId);
  const lease = await holdSyncLease({ store, integrationId, owner, leaseMs, signal: options.signal, operation });
  const counts = { read: 0, created: 0, updated: 0, unchanged: 0, recovered: 0, failed: 0 };
  const failures: ProviderSyncFailure[] = [];
  const fail = (sourceId: string | undefined, message: string) => {
    counts.failed += 1;
    if (failures.length < FAILURE_LIMIT) failures.push({ sourceId, message });
  };
  const summary = (): ProviderSyncSummary => ({ ...counts, failures: [...failures] });
  const signal = options.signal ?? new AbortController().signal;
  const write = async (request: { operation: string; input: JsonObject }, idempotencyKey?: string): Promise<JsonObject> => {
    const { value } = await hub.execute(
      { capability: to.capability, operation: request.operation, input: request.input },
      { only: [to.provider], signal, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
    );
    return value as JsonObject;
  };
  const putLink = (sourceId: string, link: Link) =>
    store.records.upsert({
      integrationId,
      entity,
      externalId: sourceId,
      data: {
        hash: link.hash,
        ...(link.targetId === undefined ? {} : { targetId: link.targetId }),
        ...(link.pending ? { pending: true } : {}),
      },
    });
  const getLink = async (sourceId: string): Promise<Link | undefined> => {
    try {
      return readLink((await store.records.get(integrationId, entity, sourceId)).data);
    } catch (error) {
      if (toIntegrationError(error).kind === 'not_found') return undefined;
      throw error;
    }
  };

  async function syncRecord(item: JsonObject): Promise<void> {
    const sourceId = (from.externalId ?? idOf)(item);
    if (sourceId === undefined) return fail(undefined, 'the source record has no id');
    let record = item;
    if (options.mapping !== undefined) {
      const mapped = await options.mapping.toInternal(item);
      if (!mapped.ok || mapped.record === undefined) {
        const reasons = (mapped.errors ?? []).map((error) => `${error.field}: ${error.rule}: ${error.message}`).join('; ');
        return fail(sourceId, reasons || 'the mapping refused it');
      }
      record = mapped.record;
    }
    const hash = contentHash(record);
    const context = { sourceId };
    const link = await getLink(sourceId);
    let targetId = link?.targetId;
    if (targetId === undefined && link?.pending === true && to.find !== undefined) {
      targetId = await to.find({ sourceId, record });
      if (targetId !== undefined) {
        // Found: its content is unknown, so it is written again when it can be.
        if (to.update !== undefined) await write({ operation: to.update.operation, input: to.update.input(record, targetId, context) });
        await putLink(sourceId, { targetId, hash: to.update === undefined ? link.hash : hash });
        counts.recovered += 1;
        return;
      }
    }
    if (targetId === undefined) {
      await putLink(sourceId, { hash, pending: true });
      const created = await write(
        { operation: to.create.operation, input: to.create.input(record, context) },
        `${integrationId}:${entity}:${sourceId}`,
      );
      const newId = (to.create.id ?? idOf)(created);
      if (newId === undefined) {
        throw new IntegrationError({ kind: 'validation', message: `${to.capability}.${to.create.operation} returned no id`, operation });
      }
      await putLink(sourceId, { targetId: newId, hash });
      counts.created += 1;
      return;
    }
    if (link?.hash === hash || to.update === undefined) {
      counts.unchanged += 1;
      return;
    }
    await write({ operation: to.update.operation, input: to.update.input(record, targetId, context) });
    await putLink(sourceId, { targetId, hash });
    counts.updated += 1;
  }

  const source = hubListSource({
    hub,
    capability: from.capability,
    operation: from.listOperation,
    input: from.input,
    items: from.items,
    provider: from.provider,
  });
  try {
    let cursor: string | undefined;
    do {
      signal.throwIfAborted();
      const page = await source.readPage({ cursor, since: undefined, limit: from.pageSize ?? 100, signal });
      counts.read += page.items.length;
      for (const item of page.items) {
        try {
          await syncRecord(item);
        } catch (error) {
          const failure = toIntegrationError(error, { operation });
          if (RUN_FAILURES.has(failure.kind) || signal.aborted) throw failure;
          fail((from.externalId ?? idOf)(item), failure.message);
        }
        await lease.keep();
      }
      options.onProgress?.(summary());
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return summary();
  } finally {
    await lease.release();
  }
}
