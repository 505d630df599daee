import { createHash } from 'node:crypto';
import { IntegrationError, loadOptionalSetting, silentLogger, type Logger } from '@switchyard/core';
import { PgBoss, type Queue } from 'pg-boss';

/** What every pg-boss user here takes. */
export interface PgBossConnectionOptions {
  /** The PostgreSQL the store uses. Default: the `DATABASE_URL` environment variable. */
  readonly connectionString?: string | undefined;
  /** The schema pg-boss keeps its tables in (created when missing). Default: `switchyard_jobs`. */
  readonly schema?: string | undefined;
  /** How often pg-boss looks for jobs whose worker went silent, in seconds. Default: 10. */
  readonly superviseIntervalSeconds?: number | undefined;
  readonly logger?: Logger | undefined;
}

/** What every pg-boss worker here takes, besides its queue's name; each user documents its own defaults. */
export interface PgBossWorkerOptions extends PgBossConnectionOptions {
  /** How long a worker may go silent before its job is given to another (pg-boss's heartbeat; at least 10 s). Default: 30 s. */
  readonly heartbeatSeconds?: number | undefined;
  /** How often an idle worker polls for due jobs. Default: 1 s. */
  readonly pollingIntervalSeconds?: number | undefined;
  /** Jobs this process runs at once. */
  readonly concurrency?: number | undefined;
  /** How many times a failed job (its worker died, or it asked to be run later) is run again. */
  readonly retryLimit?: number | undefined;
}

/** A pg-boss instance for one queue, started (and the queue created) on first use. */
export interface PgBossQueue {
  readonly boss: PgBoss;
  readonly queue: string;
  /** Starts pg-boss and creates the queue, once. */
  ready(): Promise<void>;
  /** Stops pg-boss, waiting up to 30 s for the jobs in hand. Safe to call twice, and before `ready`. */
  stop(): Promise<void>;
}

/**
 * A pg-boss instance on the store's database, for `queue` with its options.
 * Its errors go to the logger (without a listener they would crash the
 * process); its supervision runs every `superviseIntervalSeconds`, which is
 * how soon a dead worker's job goes to another.
 *
 * @param caller - names the function in the error when no connection is given.
 */
export function createPgBossQueue(
  options: PgBossConnectionOptions,
  caller: string,
  queue: string,
  queueOptions: Omit<Queue, 'name'>,
): PgBossQueue {
  const connectionString = loadOptionalSetting({ settingValue: options.connectionString, environmentVariableName: 'DATABASE_URL' });
  if (connectionString === undefined) {
    throw new IntegrationError({
      kind: 'validation',
      message: `${caller} needs a connection: pass \`connectionString\` or set the DATABASE_URL environment variable`,
    });
  }
  const logger = options.logger ?? silentLogger;
  const seconds = options.superviseIntervalSeconds ?? 10;
  // pg-boss finds jobs whose heartbeat stopped in its queue monitor pass, which runs at the longer of the two intervals.
  const boss = new PgBoss({
    connectionString,
    schema: options.schema ?? 'switchyard_jobs',
    superviseIntervalSeconds: seconds,
    monitorIntervalSeconds: seconds,
  });
  boss.on('error', (error: Error) => logger.warn({ error: error.message, queue }, 'pg-boss reported an error'));
  let started: Promise<void> | undefined;
  let stopped = false;
  return {
    boss,
    queue,
    ready() {
      started ??= (async () => {
        await boss.start();
        await boss.createQueue(queue, queueOptions);
      })();
      return started;
    },
    async stop() {
      if (stopped || started === undefined) return;
      stopped = true;
      await started.catch(() => undefined);
      await boss.stop({ graceful: true, timeout: 30_000 });
    },
  };
}

/** A UUID made from `parts` (SHA-256, version 8 "custom" bits): equal parts, equal ids, so a job is queued once. */
export function jobIdOf(...parts: readonly (string | number)[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A recurring job's occurrence: due at `slot * intervalMs` (epoch ms). */
export interface Occurrence {
  readonly intervalMs: number;
  readonly slot: number;
}

/** The first slot after now of a job recurring every `intervalMs`. */
export const nextSlot = (intervalMs: number): number => Math.floor(Date.now() / intervalMs) + 1;

/**
 * The occurrence to queue after `slot`'s: the next in line while it is at
 * most `catchUpMs` overdue, so occurrences that fell due while this one
 * waited (for a dead worker's heartbeat to stop, or a busy retry) still run,
 * late and one at a time; after a longer gap (the deployment was down), the
 * first slot after now. With `catchUpMs` 0, missed occurrences are skipped.
 */
export function followingSlot(intervalMs: number, slot: number, catchUpMs: number): number {
  const upcoming = nextSlot(intervalMs);
  return (upcoming - (slot + 1)) * intervalMs <= catchUpMs ? slot + 1 : upcoming;
}

/**
 * Queues one occurrence of a recurring job on `jobs`, due at its slot, with an
 * id derived from the queue, `subject`, the interval and the slot: however
 * many processes queue the same occurrence, it exists once.
 */
export async function sendOccurrence<Data extends Occurrence>(jobs: PgBossQueue, data: Data, subject = ''): Promise<void> {
  await jobs.ready();
  await jobs.boss.send(jobs.queue, data, {
    id: jobIdOf(jobs.queue, subject, data.intervalMs, data.slot),
    startAfter: new Date(data.slot * data.intervalMs),
  });
}
