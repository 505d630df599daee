import { IntegrationError } from '@switchyard/core';
import type { SyncScheduleHandlers, SyncScheduler } from '@switchyard/platform';
import type { Job } from 'pg-boss';
import { createPgBossQueue, followingSlot, nextSlot, sendOccurrence, type Occurrence, type PgBossWorkerOptions } from './pg-boss-kit';

/** Settings of {@link createPgBossSyncScheduler}. */
export interface PgBossSyncSchedulerOptions extends PgBossWorkerOptions {
  /** The queue of scheduled syncs. Default: `switchyard-sync`. `concurrency` defaults to 2 runs at once, `retryLimit` to 5. */
  readonly queue?: string | undefined;
  /**
   * Occurrences that fell due while their predecessor waited for another
   * worker (its worker died before queueing the next one) still run, late and
   * in order, when they are at most this overdue; after a longer gap the chain
   * goes on from now. Default 10 minutes; 0 skips missed occurrences.
   */
  readonly catchUpMs?: number | undefined;
}

/** One scheduled occurrence of an integration's sync. */
interface OccurrenceJob extends Occurrence {
  readonly integrationId: string;
}

/**
 * A {@link SyncScheduler} for deployments of several processes sharing a
 * PostgreSQL store: each scheduled occurrence of an integration's sync is a
 * pg-boss job whose id is derived from (queue, integration, interval, slot),
 * so however many processes schedule it, the job exists once and one worker
 * runs it. A worker first enqueues the next occurrence, then runs this one:
 * a worker that dies mid-run loses nothing, since its job's heartbeat stops
 * and pg-boss hands the job to another worker, and the chain of occurrences
 * goes on. Before each run the worker asks the sync service whether the
 * integration is still scheduled (`autoSync` in its settings), so turning it
 * off anywhere ends the chain everywhere.
 *
 * @example
 * ```ts
 * const scheduler = createPgBossSyncScheduler({ connectionString: process.env.DATABASE_URL });
 * const sync = createSyncService({ store, streams, scheduler });
 * await sync.start(); // schedules every integration with autoSync, once across the deployment
 * ```
 */
export function createPgBossSyncScheduler(options: PgBossSyncSchedulerOptions = {}): SyncScheduler {
  const jobs = createPgBossQueue(options, 'createPgBossSyncScheduler', options.queue ?? 'switchyard-sync', {
    heartbeatSeconds: options.heartbeatSeconds ?? 30,
    retryLimit: options.retryLimit ?? 5,
    retryDelay: 1,
  });
  const { boss, queue } = jobs;
  const catchUpMs = options.catchUpMs ?? 10 * 60_000;
  if (!Number.isFinite(catchUpMs) || catchUpMs < 0) {
    throw new IntegrationError({ kind: 'validation', message: `catchUpMs must be a number of milliseconds >= 0, got ${catchUpMs}` });
  }
  let working: Promise<void> | undefined;

  const enqueue = (integrationId: string, intervalMs: number, slot: number): Promise<void> =>
    sendOccurrence<OccurrenceJob>(jobs, { integrationId, intervalMs, slot }, integrationId);

  async function handle(handlers: SyncScheduleHandlers, job: Job<OccurrenceJob>): Promise<void> {
    const { integrationId, slot } = job.data;
    const intervalMs = await handlers.intervalOf(integrationId);
    if (intervalMs === undefined) return;
    // The next occurrence first, so that this run's worker dying does not end the chain. A worker that died before
    // this line leaves the next ones unqueued until this job is retried elsewhere: those are caught up, in order.
    await enqueue(integrationId, intervalMs, followingSlot(intervalMs, slot, catchUpMs));
    // Busy: another run holds the integration (a long run, or a dead worker's lease not yet expired). Failing the job
    // makes pg-boss run this occurrence again after its retry delay, rather than skip it.
    if ((await handlers.run(integrationId, `${job.data.intervalMs}:${slot}`)) === 'busy') {
      throw new Error(`integration "${integrationId}" is busy; occurrence ${slot} will be retried`);
    }
  }

  return {
    start(handlers) {
      working ??= (async () => {
        await jobs.ready();
        await boss.work<OccurrenceJob>(
          queue,
          { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize: 1, localConcurrency: options.concurrency ?? 2 },
          async ([job]) => {
            if (job !== undefined) await handle(handlers, job);
          },
        );
      })();
      return working;
    },
    async schedule(integrationId, intervalMs) {
      await enqueue(integrationId, intervalMs, nextSlot(intervalMs));
    },
    async unschedule() {
      // The integration's settings say it is off (the sync service turns autoSync off first): its next occurrence ends the chain.
    },
    stop: () => jobs.stop(),
  };
}
