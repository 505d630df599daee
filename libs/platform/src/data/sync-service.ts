import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { silentLogger, toIntegrationError, type IntegrationError, type Logger } from '@switchyard/core';
import type { Store } from '../store/store';
import type { IntegrationRecord, JsonObject } from '../store/store-records';
import { holdSyncLease } from './sync-lease';
import { runStream, type SyncProgress, type SyncStreamCounts } from './sync-run';
import { createTimerScheduler, type SyncScheduler } from './sync-scheduler';
import { readSyncSettings, type SyncSettings } from './sync-settings';
import type { SyncStream } from './sync-source';

/** The event types a sync appends to the store's event log, with the integration's id. */
export const SYNC_EVENT_TYPES = Object.freeze({
  /** Payload: `{ runId, full, trigger? }`. */
  started: 'sync.started',
  /** Payload: `{ runId }` and the {@link SyncSummary} totals (without `streams`). */
  completed: 'sync.completed',
  /** Payload: `{ runId, error: { kind, message }, durationMs }`. */
  failed: 'sync.failed',
} as const);

/** What {@link SyncService.syncIntegration} did. */
export interface SyncSummary extends Omit<SyncStreamCounts, 'full'> {
  readonly integrationId: string;
  readonly runId: string;
  /** Milliseconds. */
  readonly duration: number;
  readonly streams: Readonly<Record<string, SyncStreamCounts>>;
}

/** Options of one run. */
export interface SyncRunOptions {
  /** Read everything and delete what is gone, also on incremental streams. Default: false. */
  readonly full?: boolean | undefined;
  /** When another process syncs the integration: wait up to this many ms for it. Default: 0 (fail with `conflict` at once). */
  readonly waitMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Told after every stored batch (e.g. a progress bar). */
  readonly onProgress?: ((progress: SyncProgress) => void) | undefined;
  /** What started the run (a schedule's occurrence, a CLI call), recorded in its events. Default: none. */
  readonly trigger?: string | undefined;
}

/** Settings of {@link createSyncService}. */
export interface SyncServiceOptions {
  /** The store (or a workspace's view of it) the records go to. */
  readonly store: Store;
  /** An integration's streams; none means the integration has nothing to sync. */
  readonly streams: (integration: IntegrationRecord) => readonly SyncStream[] | Promise<readonly SyncStream[]>;
  /** When syncs run by themselves: in-process timers by default; pg-boss across processes (`createPgBossSyncScheduler`). */
  readonly scheduler?: SyncScheduler | undefined;
  /** How long a lease lasts without renewal; it is renewed every third of it while the run goes on. Default: 60 000 ms. */
  readonly leaseMs?: number | undefined;
  /** Who this process is in leases (with a run id added). Default: host name and process id. */
  readonly owner?: string | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * Syncs integrations' records from their sources into the store (seed 000's
 * DataSyncService). Each run holds the integration's lease in the store, so
 * one run per integration happens at a time across every process sharing the
 * store; a second caller gets `conflict` (or waits, with `waitMs`).
 */
export interface SyncService {
  /** Syncs every stream of the integration, resuming where a stopped run left off. */
  syncIntegration(integrationId: string, options?: SyncRunOptions): Promise<SyncSummary>;
  /** Syncs every active integration that has streams, one after another; a failure is reported in its place and the rest go on. */
  syncAll(options?: SyncRunOptions): Promise<Array<SyncSummary | { readonly integrationId: string; readonly error: IntegrationError }>>;
  /**
   * Turns the integration's `autoSync` on (in its settings, so every process
   * sharing the store agrees) and runs it every `syncInterval` from now on
   * (`intervalMs` replaces the setting when given).
   */
  startSync(integrationId: string, intervalMs?: number): Promise<void>;
  /** Turns `autoSync` off and drops the schedule; a run in progress finishes. */
  stopSync(integrationId: string): Promise<void>;
  /** Schedules every active integration with `autoSync`, and syncs those with `syncOnStartup` now. */
  start(): Promise<void>;
  /** Stops scheduling and waits for the runs in progress. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Creates a {@link SyncService}.
 *
 * @example
 * ```ts
 * const sync = createSyncService({
 *   store,
 *   streams: (integration) => [{ name: 'issues', source: hubListSource({ hub, capability: 'issues', operation: 'searchIssues',
 *     input: { project: 'acme/website', state: 'all' }, items: 'issues', provider: integration.providerId }) }],
 * });
 * const summary = await sync.syncIntegration(integration.id);
 * ```
 */
export function createSyncService(options: SyncServiceOptions): SyncService {
  const { store } = options;
  const logger = options.logger ?? silentLogger;
  const leaseMs = options.leaseMs ?? 60_000;
  const processOwner = options.owner ?? `${hostname()}:${process.pid}`;
  const scheduler = options.scheduler ?? createTimerScheduler();
  const running = new Set<Promise<unknown>>();
  let schedulerStarted = false;

  async function syncIntegration(integrationId: string, runOptions: SyncRunOptions = {}): Promise<SyncSummary> {
    const integration = await store.integrations.get(integrationId);
    const settings = readSyncSettings(integration.settings);
    const streams = await options.streams(integration);
    const runId = randomUUID();
    const owner = `${processOwner}:${runId}`;
    const lease = await holdSyncLease({
      store,
      integrationId: integration.id,
      owner,
      leaseMs,
      waitMs: runOptions.waitMs,
      signal: runOptions.signal,
      operation: 'sync.syncIntegration',
      logger,
    });
    const started = performance.now();
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const signal = runOptions.signal === undefined ? timeout : AbortSignal.any([runOptions.signal, timeout]);
    const event = (type: string, payload: JsonObject) =>
      store.events
        .append({ type, integrationId: integration.id, workspaceId: integration.workspaceId, payload })
        .catch((error: unknown) => logger.warn({ error: toIntegrationError(error).message, type }, 'sync: the event log refused an event'));
    const trigger: JsonObject = runOptions.trigger === undefined ? {} : { trigger: runOptions.trigger };
    await event(SYNC_EVENT_TYPES.started, { runId, full: runOptions.full === true, ...trigger });
    try {
      const results: Record<string, SyncStreamCounts> = {};
      for (const stream of streams) {
        results[stream.name] = await runStream(
          {
            store,
            integrationId: integration.id,
            leaseOwner: owner,
            batchSize: settings.batchSize,
            retry: settings.retry,
            signal,
            full: runOptions.full === true,
            onProgress: runOptions.onProgress ?? (() => undefined),
            keepLease: () => lease.keep(),
          },
          stream,
        );
      }
      const summary = summarize(integration.id, runId, results, performance.now() - started);
      await event(SYNC_EVENT_TYPES.completed, {
        runId,
        ...trigger,
        recordsProcessed: summary.recordsProcessed,
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        deleted: summary.deleted,
        failed: summary.failed,
        duration: summary.duration,
      });
      return summary;
    } catch (error) {
      const failure = toIntegrationError(error, { operation: 'sync.syncIntegration' });
      await event(SYNC_EVENT_TYPES.failed, {
        runId,
        ...trigger,
        error: { kind: failure.kind, message: failure.message },
        durationMs: Math.round(performance.now() - started),
      });
      throw failure;
    } finally {
      await lease.release();
    }
  }

  const tracked = <Result>(work: Promise<Result>): Promise<Result> => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => undefined);
    return work;
  };

  async function scheduledRun(integrationId: string, occurrence?: string): Promise<'done' | 'busy'> {
    const trigger = occurrence === undefined ? 'schedule' : `schedule:${occurrence}`;
    try {
      await tracked(syncIntegration(integrationId, { trigger }));
    } catch (error) {
      const failure = toIntegrationError(error);
      if (failure.kind === 'conflict' && (failure.details as { busy?: unknown } | undefined)?.busy === true) return 'busy';
      logger.warn({ integrationId, error: failure.message }, 'sync: a scheduled run failed');
    }
    return 'done';
  }

  async function intervalOf(integrationId: string): Promise<number | undefined> {
    const integration = await store.integrations.get(integrationId).catch(() => undefined);
    if (integration?.status !== 'active') return undefined;
    const settings = readSyncSettings(integration.settings);
    return settings.autoSync ? settings.syncInterval : undefined;
  }

  async function ensureScheduler(): Promise<void> {
    if (schedulerStarted) return;
    schedulerStarted = true;
    await scheduler.start({ run: scheduledRun, intervalOf });
  }

  /** Turns the integration's `autoSync` on or off (and sets its interval), so every process's scheduler agrees. */
  async function setAutoSync(integrationId: string, autoSync: boolean, intervalMs?: number): Promise<number> {
    const integration = await store.integrations.get(integrationId);
    const current = readSyncSettings(integration.settings);
    const syncInterval = intervalMs ?? current.syncInterval;
    const sync = { ...(integration.settings['sync'] as JsonObject | undefined), autoSync, syncInterval };
    readSyncSettings({ sync });
    await store.integrations.update(integration.id, { settings: { ...integration.settings, sync } });
    return syncInterval;
  }

  return {
    syncIntegration: (integrationId, runOptions) => tracked(syncIntegration(integrationId, runOptions)),
    async syncAll(runOptions) {
      const integrations = await store.integrations.list({ status: 'active' });
      const results: Array<SyncSummary | { integrationId: string; error: IntegrationError }> = [];
      for (const integration of integrations) {
        if ((await options.streams(integration)).length === 0) continue;
        try {
          results.push(await tracked(syncIntegration(integration.id, runOptions)));
        } catch (error) {
          results.push({ integrationId: integration.id, error: toIntegrationError(error) });
        }
      }
      return results;
    },
    async startSync(integrationId, intervalMs) {
      const interval = await setAutoSync(integrationId, true, intervalMs);
      await ensureScheduler();
      await scheduler.schedule(integrationId, interval);
    },
    async stopSync(integrationId) {
      await setAutoSync(integrationId, false);
      await scheduler.unschedule(integrationId);
    },
    async start() {
      await ensureScheduler();
      for (const integration of await store.integrations.list({ status: 'active' })) {
        const settings: SyncSettings = readSyncSettings(integration.settings);
        if (settings.autoSync) await scheduler.schedule(integration.id, settings.syncInterval);
        if (settings.syncOnStartup) void scheduledRun(integration.id, 'startup');
      }
    },
    async stop() {
      await scheduler.stop();
      await Promise.allSettled([...running]);
    },
  };
}

function summarize(integrationId: string, runId: string, streams: Record<string, SyncStreamCounts>, durationMs: number): SyncSummary {
  const totals = { recordsProcessed: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
  for (const counts of Object.values(streams)) {
    for (const name of Object.keys(totals) as Array<keyof typeof totals>) totals[name] += counts[name];
  }
  return { integrationId, runId, ...totals, duration: Math.round(durationMs), streams };
}
