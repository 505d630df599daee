import { createHash } from 'node:crypto';
import { IntegrationError, loadOptionalSetting, silentLogger, type Logger } from '@switchyard/core';
import type { SyncScheduleHandlers, SyncScheduler } from '@switchyard/platform';
import { PgBoss, type Job } from 'pg-boss';

/** Settings of {@link createPgBossSyncScheduler}. */
export interface PgBossSyncSchedulerOptions {
  /** The PostgreSQL the store uses. Default: the `DATABASE_URL` environment variable. */
  readonly connectionString?: string | undefined;
  /** The schema pg-boss keeps its tables in (created when missing). Default: `switchyard_jobs`. */
  readonly schema?: string | undefined;
  /** The queue of scheduled syncs. Default: `switchyard-sync`. */
  readonly queue?: string | undefined;
  /**
   * How long a worker may go silent before its job is given to another
   * worker (pg-boss's heartbeat; at least 10 s). Default: 30 s.
   */
  readonly heartbeatSeconds?: number | undefined;
  /** How often pg-boss looks for jobs whose worker went silent. Default: 10 s. */
  readonly superviseIntervalSeconds?: number | undefined;
  /** How often an idle worker polls for due jobs. Default: 1 s. */
  readonly pollingIntervalSeconds?: number | undefined;
  /** Jobs this process runs at once. Default: 2. */
  readonly concurrency?: number | undefined;
  /** How many times a job whose worker died is retried. Default: 5. */
  readonly retryLimit?: number | undefined;
  readonly logger?: Logger | undefined;
}

interface OccurrenceJob {
  readonly integrationId: string;
  readonly intervalMs: number;
  /** The occurrence's index: it is due at `slot * intervalMs` (epoch ms). */
  readonly slot: number;
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
  const connectionString = loadOptionalSetting({ settingValue: options.connectionString, environmentVariableName: 'DATABASE_URL' });
  if (connectionString === undefined) {
    throw new IntegrationError({
      kind: 'validation',
      message: 'createPgBossSyncScheduler needs a connection: pass `connectionString` or set the DATABASE_URL environment variable',
    });
  }
  const queue = options.queue ?? 'switchyard-sync';
  const logger = options.logger ?? silentLogger;
  const boss = new PgBoss({
    connectionString,
    schema: options.schema ?? 'switchyard_jobs',
    // pg-boss finds jobs whose heartbeat stopped in its queue monitor pass, which runs at the longer of the two intervals.
    superviseIntervalSeconds: options.superviseIntervalSeconds ?? 10,
    monitorIntervalSeconds: options.superviseIntervalSeconds ?? 10,
  });
  // pg-boss reports its own failures (a lost connection, a failed poll) here; without a listener they would crash the process.
  boss.on('error', (error: Error) => logger.warn({ error: error.message }, 'pg-boss reported an error'));
  let started: Promise<void> | undefined;
  let stopped = false;

  const enqueue = async (integrationId: string, intervalMs: number, slot: number): Promise<void> => {
    const job: OccurrenceJob = { integrationId, intervalMs, slot };
    await boss.send(queue, job, { id: occurrenceId(queue, job), startAfter: new Date(slot * intervalMs) });
  };
  const nextSlot = (intervalMs: number): number => Math.floor(Date.now() / intervalMs) + 1;

  async function handle(handlers: SyncScheduleHandlers, job: Job<OccurrenceJob>): Promise<void> {
    const { integrationId, slot } = job.data;
    const intervalMs = await handlers.intervalOf(integrationId);
    if (intervalMs === undefined) return;
    // The next occurrence first, so that this run's worker dying does not end the chain.
    await enqueue(integrationId, intervalMs, Math.max(slot + 1, nextSlot(intervalMs)));
    // Busy: another run holds the integration (a long run, or a dead worker's lease not yet expired). Failing the job
    // makes pg-boss run this occurrence again after its retry delay, rather than skip it.
    if ((await handlers.run(integrationId, `${job.data.intervalMs}:${slot}`)) === 'busy') {
      throw new Error(`integration "${integrationId}" is busy; occurrence ${slot} will be retried`);
    }
  }

  return {
    start(handlers) {
      started ??= (async () => {
        await boss.start();
        await boss.createQueue(queue, {
          heartbeatSeconds: options.heartbeatSeconds ?? 30,
          retryLimit: options.retryLimit ?? 5,
          retryDelay: 1,
        });
        await boss.work<OccurrenceJob>(
          queue,
          { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize: 1, localConcurrency: options.concurrency ?? 2 },
          async ([job]) => {
            if (job !== undefined) await handle(handlers, job);
          },
        );
      })();
      return started;
    },
    async schedule(integrationId, intervalMs) {
      if (started === undefined)
        throw new IntegrationError({ kind: 'validation', message: 'createPgBossSyncScheduler: call start() before schedule()' });
      await started;
      await enqueue(integrationId, intervalMs, nextSlot(intervalMs));
    },
    async unschedule() {
      // The integration's settings say it is off (the sync service turns autoSync off first): its next occurrence ends the chain.
    },
    async stop() {
      if (stopped || started === undefined) return;
      stopped = true;
      await started.catch(() => undefined);
      await boss.stop({ graceful: true, timeout: 30_000 });
    },
  };
}

/** A UUID made from the occurrence (SHA-256, version 8 "custom" bits): equal occurrences, equal ids. */
function occurrenceId(queue: string, job: OccurrenceJob): string {
  const hex = createHash('sha256').update(`${queue}\n${job.integrationId}\n${job.intervalMs}\n${job.slot}`).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
