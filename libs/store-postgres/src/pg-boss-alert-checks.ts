import type { AlertCheckScheduler } from '@switchyard/platform';
import type { Job } from 'pg-boss';
import { createPgBossQueue, followingSlot, nextSlot, sendOccurrence, type Occurrence, type PgBossWorkerOptions } from './pg-boss-kit';

/** Settings of {@link createPgBossAlertChecks}. */
export interface PgBossAlertChecksOptions extends PgBossWorkerOptions {
  /** The queue of alert checks. Default: `switchyard-alerts`. `retryLimit` defaults to 3. */
  readonly queue?: string | undefined;
}

/**
 * Alert checks as pg-boss jobs (the pg-boss of the sync scheduler, another
 * queue), for `createAlerts({ scheduler })` in deployments of several
 * processes sharing a PostgreSQL store. Each check slot is one job, with an
 * id derived from (interval, slot), so however many processes start the
 * checks, each runs once; the queue's `singleton` policy runs one check at
 * a time across the deployment, and the worker queues the next slot before
 * running this one, so a worker dying does not end the checks (its job goes
 * to another by heartbeat). Each check reads the open alerts back from the
 * event log first (`shared`), so no two processes raise the same alert.
 *
 * @example
 * ```ts
 * const alerts = createAlerts({ hub, store, rules, channels, scheduler: createPgBossAlertChecks({ connectionString }) });
 * ```
 */
export function createPgBossAlertChecks(options: PgBossAlertChecksOptions = {}): AlertCheckScheduler {
  const jobs = createPgBossQueue(options, 'createPgBossAlertChecks', options.queue ?? 'switchyard-alerts', {
    policy: 'singleton',
    heartbeatSeconds: options.heartbeatSeconds ?? 30,
    retryLimit: options.retryLimit ?? 3,
    retryDelay: 1,
  });
  const { boss, queue } = jobs;
  let working: Promise<void> | undefined;

  const enqueue = (intervalMs: number, slot: number): Promise<void> => sendOccurrence(jobs, { intervalMs, slot });

  return {
    shared: true,
    start(check, intervalMs) {
      working ??= (async () => {
        await jobs.ready();
        await boss.work<Occurrence>(
          queue,
          { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize: 1, localConcurrency: 1 },
          async ([job]: Job<Occurrence>[]) => {
            if (job === undefined) return;
            // The next check first, so that this worker dying does not end the checks.
            // A check is about now: one that fell due while this one waited is skipped, not run late.
            await enqueue(job.data.intervalMs, followingSlot(job.data.intervalMs, job.data.slot, 0));
            await check();
          },
        );
        await enqueue(intervalMs, nextSlot(intervalMs));
      })();
      return working;
    },
    stop: () => jobs.stop(),
  };
}
