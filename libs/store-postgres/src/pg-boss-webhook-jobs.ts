import type { WebhookJobQueue } from '@switchyard/platform';
import { createPgBossQueue, jobIdOf, type PgBossWorkerOptions } from './pg-boss-kit';

/** Settings of {@link createPgBossWebhookJobs}. */
export interface PgBossWebhookJobsOptions extends PgBossWorkerOptions {
  /** The queue of delivery attempts. Default: `switchyard-webhooks`. `concurrency` defaults to 4 attempts at once, `retryLimit` to 20. */
  readonly queue?: string | undefined;
}

interface AttemptJob {
  readonly deliveryId: string;
  readonly attempt: number;
}

/**
 * Outbound webhook attempts as pg-boss jobs (the pg-boss the sync scheduler
 * uses, another queue), for `createWebhookDispatcher({ jobs })` in
 * deployments of several server processes: each attempt is one job with an
 * id derived from (delivery, attempt), due at the attempt's time, run by one
 * process; the store's claim still guards the attempt. A job whose delivery
 * another process holds runs again after 2 s.
 *
 * @example
 * ```ts
 * const dispatcher = createWebhookDispatcher({ store, jobs: createPgBossWebhookJobs({ connectionString }) });
 * dispatcher.start();
 * ```
 */
export function createPgBossWebhookJobs(options: PgBossWebhookJobsOptions = {}): WebhookJobQueue {
  const jobs = createPgBossQueue(options, 'createPgBossWebhookJobs', options.queue ?? 'switchyard-webhooks', {
    heartbeatSeconds: options.heartbeatSeconds ?? 30,
    retryLimit: options.retryLimit ?? 20,
    retryDelay: 2,
  });
  const { boss, queue } = jobs;
  let working: Promise<void> | undefined;
  return {
    start(handler) {
      working ??= (async () => {
        await jobs.ready();
        await boss.work<AttemptJob>(
          queue,
          { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize: 1, localConcurrency: options.concurrency ?? 4 },
          async ([job]) => {
            if (job !== undefined && (await handler(job.data.deliveryId)) === 'later') {
              throw new Error(
                `webhook delivery "${job.data.deliveryId}" is held by another process; attempt ${job.data.attempt} runs again later`,
              );
            }
          },
        );
      })();
      return working;
    },
    async enqueue({ deliveryId, attempt, at }) {
      await jobs.ready();
      await boss.send(queue, { deliveryId, attempt } satisfies AttemptJob, {
        id: jobIdOf(queue, deliveryId, attempt),
        startAfter: new Date(at),
      });
    },
    stop: () => jobs.stop(),
  };
}
