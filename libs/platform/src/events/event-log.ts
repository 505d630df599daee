import {
  HUB_EVENT_TYPES,
  IntegrationError,
  redactText,
  silentLogger,
  type AnyEvent,
  type Hub,
  type HubEvents,
  type HubEventType,
  type Logger,
} from '@switchyard/core';
import type { JsonObject, JsonValue, StoredEvent } from '../store/store-records';
import type { Store } from '../store/store';

/** The prefix of the types under which {@link createEventLog} stores hub events: `hub.breaker`, `hub.webhook.received`, ... */
export const HUB_EVENT_PREFIX = 'hub.';

const DAY_MS = 86_400_000;
const DEFAULT_RETENTION_MS = 30 * DAY_MS;
const DEFAULT_PRUNE_INTERVAL_MS = 3_600_000;
const DEFAULT_MAX_QUEUE = 10_000;
const DEFAULT_FLUSH_DELAY_MS = 5;

/** Options of {@link createEventLog}. */
export interface EventLogOptions {
  /** The hub whose events are recorded. */
  readonly hub: Pick<Hub, 'events' | 'secrets'>;
  /** Where events go (`store.events`); a `forWorkspace` view records into, and prunes, that workspace only. */
  readonly store: Pick<Store, 'events'>;
  /** How long events are kept, in ms; older ones are pruned (every event type, sync and webhook ones too). Default: 30 days. */
  readonly retentionMs?: number | undefined;
  /** How often pruning runs, in ms; it also runs once at start. Default: one hour, or `retentionMs` when shorter. */
  readonly pruneIntervalMs?: number | undefined;
  /** Told about dropped events and failed appends or prunes (never with payloads). Default: silent. */
  readonly logger?: Logger | undefined;
  /** The hub event types to record. Default: every type (`HUB_EVENT_TYPES`). */
  readonly types?: readonly HubEventType[] | undefined;
  /** Events waiting to be written at most; when full, the oldest waiting one is dropped and counted. Default: 10 000. */
  readonly maxQueue?: number | undefined;
  /** How long events gather before a batch is written, in ms. Default: 5. */
  readonly flushDelayMs?: number | undefined;
  /** Epoch ms now, for pruning. Default: `Date.now`. */
  readonly clock?: (() => number) | undefined;
}

/** What {@link EventLog.query} takes; absent fields match everything. */
export interface EventLogQuery {
  readonly integrationId?: string | undefined;
  /** A stored type, e.g. `hub.breaker`, `sync.failed` or `alert.raised`. */
  readonly type?: string | undefined;
  /** Occurred at or after this time (inclusive). */
  readonly since?: string | Date | undefined;
  /** Occurred before this time (exclusive). */
  readonly until?: string | Date | undefined;
  /** Default: 50; at most 1 000. */
  readonly limit?: number | undefined;
}

/** The persisted event log of a hub; see {@link createEventLog}. */
export interface EventLog {
  /** Stored events, newest first: the hub's (`hub.*`) and whatever else the store's log holds (`sync.*`, `integration.*`, `alert.*`). */
  query(query?: EventLogQuery): Promise<StoredEvent[]>;
  /** Writes every event waiting in the queue. */
  flush(): Promise<void>;
  /** Deletes the events older than the retention now; resolves with how many. */
  prune(): Promise<number>;
  /** Events dropped so far because the queue was full or the store refused them. */
  readonly dropped: number;
  /** Stops listening and pruning, and writes what is still queued. Safe to call twice. */
  close(): Promise<void>;
}

/** An error as the log stores it: kind and (redacted) message only. */
function errorFields(value: unknown, secrets: Hub['secrets']): JsonObject {
  const error = value as { kind?: unknown; message?: unknown };
  return {
    kind: typeof error.kind === 'string' ? error.kind : 'provider',
    message: redactText(typeof error.message === 'string' ? error.message : 'unknown error', secrets),
  };
}

/** A JSON copy of an event's own fields: `undefined` dropped, errors reduced to `{ kind, message }`. */
function toJson(value: unknown, secrets: Hub['secrets'], depth = 0): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object' || depth > 8) return undefined;
  if (Array.isArray(value)) return value.map((item) => toJson(item, secrets, depth + 1) ?? null);
  const result: JsonObject = {};
  for (const [name, field] of Object.entries(value)) {
    const converted =
      name === 'error' && field !== undefined && field !== null ? errorFields(field, secrets) : toJson(field, secrets, depth + 1);
    if (converted !== undefined) result[name] = converted;
  }
  return result;
}

/** The stored form of one hub event: type `hub.<type>`, the integration when the event names one, the payload as JSON. */
export function hubEventRecord(
  event: AnyEvent<HubEvents>,
  secrets: Hub['secrets'],
): { type: string; integrationId: string | undefined; payload: JsonObject } {
  const payload = (toJson(event.payload, secrets) ?? {}) as JsonObject;
  const integrationId = payload['integrationId'];
  return {
    type: `${HUB_EVENT_PREFIX}${event.type}`,
    integrationId: typeof integrationId === 'string' && integrationId !== '' ? integrationId : undefined,
    payload,
  };
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new IntegrationError({
      kind: 'validation',
      message: `createEventLog: ${name} must be a positive, finite number (it is ${value})`,
    });
  }
  return value;
}

const asIso = (value: string | Date | undefined): string | undefined => (value instanceof Date ? value.toISOString() : value);

/**
 * Records a hub's events in the store's event log (`store.events`) as
 * `hub.<type>` (e.g. `hub.breaker`), with the event's own fields as the
 * payload and errors as `{ kind, message }` — hub events never hold inputs,
 * outputs or credentials, and error messages are redacted once more with
 * `hub.secrets`. Events are queued and written in batches shortly after
 * (`flushDelayMs`), so a busy hub never waits for the store; when the queue
 * is full the oldest waiting event is dropped, counted and warned about.
 * Events of every type older than `retentionMs` are pruned every
 * `pruneIntervalMs`. Sync events (`sync.*`, written by the sync service) and
 * the webhook receiver's (`hub.webhook.*`) are queryable here too.
 *
 * @example
 * ```ts
 * const log = createEventLog({ hub, store, retentionMs: 7 * 86_400_000 });
 * const breakers = await log.query({ type: 'hub.breaker', since: new Date(Date.now() - 3_600_000) });
 * await log.close();
 * ```
 */
export function createEventLog(options: EventLogOptions): EventLog {
  const { hub, store } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? Date.now;
  const retentionMs = positive(options.retentionMs ?? DEFAULT_RETENTION_MS, 'retentionMs');
  const pruneIntervalMs = positive(options.pruneIntervalMs ?? Math.min(DEFAULT_PRUNE_INTERVAL_MS, retentionMs), 'pruneIntervalMs');
  const maxQueue = positive(options.maxQueue ?? DEFAULT_MAX_QUEUE, 'maxQueue');
  const flushDelayMs = options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS;
  const types = new Set<string>(options.types ?? HUB_EVENT_TYPES);

  let queue: AnyEvent<HubEvents>[] = [];
  let head = 0;
  let dropped = 0;
  let droppedUnreported = 0;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let pruning: Promise<number> | undefined;
  let closed = false;

  async function drain(): Promise<void> {
    while (head < queue.length) {
      const event = queue[head] as AnyEvent<HubEvents>;
      head += 1;
      if (head >= 1024 && head * 2 >= queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      try {
        await store.events.append(hubEventRecord(event, hub.secrets));
      } catch (error) {
        dropped += 1;
        logger.error({ type: event.type, error: errorFields(error, hub.secrets) }, 'event log: the store refused an event');
      }
    }
    if (droppedUnreported > 0) {
      logger.warn({ dropped: droppedUnreported, total: dropped, maxQueue }, 'event log: the queue was full; dropped the oldest events');
      droppedUnreported = 0;
    }
  }

  function flush(): Promise<void> {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    flushing ??= drain().finally(() => {
      flushing = undefined;
      if (head < queue.length) schedule();
    });
    return flushing;
  }

  /** Starts the short timer for the next batch, unless one is pending or a flush runs (which takes new events too). */
  function schedule(): void {
    if (timer !== undefined || flushing !== undefined) return;
    timer = setTimeout(() => void flush(), flushDelayMs);
    timer.unref();
  }

  const listener = (event: AnyEvent<HubEvents>): void => {
    if (!types.has(event.type)) return;
    if (queue.length - head >= maxQueue) {
      head += 1;
      dropped += 1;
      droppedUnreported += 1;
    }
    queue.push(event);
    schedule();
  };

  function prune(): Promise<number> {
    pruning ??= store.events
      .prune({ olderThan: new Date(clock() - retentionMs).toISOString() })
      .catch((error: unknown) => {
        logger.error({ error: errorFields(error, hub.secrets) }, 'event log: pruning failed');
        return 0;
      })
      .finally(() => {
        pruning = undefined;
      });
    return pruning;
  }

  hub.events.onAny(listener);
  const pruneTimer = setInterval(() => void prune(), pruneIntervalMs);
  pruneTimer.unref();
  void prune();

  return {
    query: (query = {}) =>
      store.events.listRecent({
        integrationId: query.integrationId,
        type: query.type,
        since: asIso(query.since),
        until: asIso(query.until),
        limit: query.limit,
      }),
    flush,
    prune,
    get dropped() {
      return dropped;
    },
    async close() {
      if (!closed) {
        closed = true;
        hub.events.offAny(listener);
        clearInterval(pruneTimer);
      }
      await flush();
      await pruning;
    },
  };
}
