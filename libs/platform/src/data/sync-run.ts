import { randomUUID } from 'node:crypto';
import { retryAfterFailure, toIntegrationError, type RetryPolicy } from '@switchyard/core';
import type { Store } from '../store/store';
import type { JsonObject } from '../store/store-records';
import type { SyncDeadLetterWrite, SyncRecordWrite } from '../store/store-sync';
import { laterTime, readPosition, writePosition, type SyncPosition } from './sync-checkpoint';
import type { SyncPage, SyncStream } from './sync-source';

/** What one stream's run did. */
export interface SyncStreamCounts {
  /** Records read from the source. */
  readonly recordsProcessed: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deleted: number;
  /** Records that went to the dead-letter list (no id, or their mapping failed). */
  readonly failed: number;
  /** Whether the run read everything and deleted what it did not see. */
  readonly full: boolean;
}

/** How far a run has got, told after each stored batch. */
export interface SyncProgress extends SyncStreamCounts {
  readonly integrationId: string;
  readonly stream: string;
}

/** What {@link runStream} needs besides the stream. */
export interface StreamRunContext {
  readonly store: Store;
  readonly integrationId: string;
  readonly leaseOwner: string;
  readonly batchSize: number;
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal;
  /** Makes the run a full one even for an incremental stream. */
  readonly full: boolean;
  readonly onProgress: (progress: SyncProgress) => void;
  /** Renews the run's lease when it is due; throws `conflict` when another run has taken it. */
  readonly keepLease: () => Promise<void>;
}

const DEFAULT_FULL_EVERY = 24;
const REASON_LIMIT = 4096;

const defaultExternalId = (item: JsonObject): string | undefined => {
  const id = item['id'];
  if (typeof id === 'string' && id !== '') return id;
  return typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined;
};
const defaultUpdatedAt = (item: JsonObject): string | undefined => {
  const value = item['updatedAt'];
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
};

/**
 * Syncs one stream from where its checkpoint says, batch by batch: each page
 * is mapped, then stored with the checkpoint of the next page in one store
 * transaction, so a crash between any two steps resumes at the first page
 * not stored. A full pass ends by deleting the records it did not see.
 */
export async function runStream(context: StreamRunContext, stream: SyncStream): Promise<SyncStreamCounts> {
  const { store, integrationId, leaseOwner, signal } = context;
  const entity = stream.entity ?? stream.name;
  const checkpoint = await store.checkpoints.get(integrationId, stream.name);
  let position = startingPosition(readPosition(checkpoint?.cursor), stream, context.full);
  const full = position.pass !== undefined;
  const counts = { recordsProcessed: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0, full };
  const report = () => context.onProgress({ integrationId, stream: stream.name, ...counts });

  while (position.ending !== true) {
    signal.throwIfAborted();
    const page = await readPage(context, stream, position);
    const { records, deadLetters, high } = await mapPage(stream, page.items);
    const runHigh = laterTime(position.high, high);
    const next: SyncPosition =
      page.nextCursor !== undefined
        ? { ...position, page: page.nextCursor, high: runHigh }
        : position.pass !== undefined
          ? { pass: position.pass, ending: true, since: position.since, high: runHigh, runs: position.runs }
          : { since: runHigh ?? position.since, runs: (position.runs ?? 0) + 1 };
    const outcome = await store.sync.applyBatch({
      integrationId,
      leaseOwner,
      stream: stream.name,
      entity,
      records,
      deadLetters,
      pass: position.pass,
      cursor: writePosition(next),
    });
    counts.recordsProcessed += page.items.length;
    counts.created += outcome.created;
    counts.updated += outcome.updated;
    counts.unchanged += outcome.unchanged;
    counts.deleted += outcome.deleted;
    counts.failed += outcome.deadLettered;
    position = next;
    report();
    if (page.nextCursor === undefined) break;
    await context.keepLease();
    // A fast source and store resolve everything as microtasks: let timers and I/O of the host run between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }

  if (position.pass !== undefined) {
    const { deleted } = await store.sync.endPass({
      integrationId,
      leaseOwner,
      stream: stream.name,
      entity,
      pass: position.pass,
      cursor: writePosition({ since: position.high ?? position.since, runs: 0 }),
    });
    counts.deleted += deleted;
    report();
  }
  return counts;
}

/** Resume what the checkpoint left in progress; otherwise start a run, full when it must be. */
function startingPosition(saved: SyncPosition, stream: SyncStream, forceFull: boolean): SyncPosition {
  if (saved.pass !== undefined || saved.page !== undefined) return saved;
  const fullEvery = stream.fullEvery ?? DEFAULT_FULL_EVERY;
  const fullRun = (stream.mode ?? 'full') === 'full' || forceFull || saved.since === undefined || (saved.runs ?? 0) + 1 >= fullEvery;
  return fullRun ? { pass: randomUUID(), since: saved.since, runs: saved.runs } : { since: saved.since, runs: saved.runs };
}

/** One page from the source, retried on retryable failures with backoff. */
async function readPage(context: StreamRunContext, stream: SyncStream, position: SyncPosition): Promise<SyncPage> {
  const request = {
    cursor: position.page,
    // A full pass reads everything; an incremental run what changed since the last one.
    since: position.pass === undefined ? position.since : undefined,
    limit: context.batchSize,
    signal: context.signal,
  };
  const attempt = () => stream.source.readPage(request);
  try {
    return await attempt();
  } catch (error) {
    return retryAfterFailure(attempt, toIntegrationError(error, { operation: `sync.${stream.name}.readPage` }), {
      policy: context.retry,
      signal: context.signal,
      shouldRetry: (failure) => failure.isRetryable,
    });
  }
}

/** Keys and maps a page's items; what cannot be keyed or mapped becomes a dead letter with the reason. */
async function mapPage(
  stream: SyncStream,
  items: readonly JsonObject[],
): Promise<{ records: SyncRecordWrite[]; deadLetters: SyncDeadLetterWrite[]; high: string | undefined }> {
  const externalIdOf = stream.externalId ?? defaultExternalId;
  const updatedAtOf = stream.updatedAt ?? defaultUpdatedAt;
  // The last occurrence of an id in a page wins, as a later write would.
  const byId = new Map<string, SyncRecordWrite>();
  const deadLetters: SyncDeadLetterWrite[] = [];
  let high: string | undefined;
  for (const item of items) {
    high = laterTime(high, updatedAtOf(item));
    const externalId = externalIdOf(item);
    if (externalId === undefined) {
      deadLetters.push({ reason: 'the record has no external id', data: item });
      continue;
    }
    if (stream.mapping === undefined) {
      byId.set(externalId, { externalId, data: item });
      continue;
    }
    const mapped = await stream.mapping.toInternal(item);
    if (mapped.ok && mapped.record !== undefined) {
      byId.set(externalId, { externalId, data: mapped.record });
      continue;
    }
    const reason =
      (mapped.errors ?? []).map((error) => `${error.field}: ${error.rule}: ${error.message}`).join('; ') || 'the mapping refused it';
    deadLetters.push({ externalId, reason: reason.slice(0, REASON_LIMIT), data: item });
  }
  return { records: [...byId.values()], deadLetters, high };
}
