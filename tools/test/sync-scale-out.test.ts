/**
 * Issue 18, scale-out: three worker processes (fixtures/sync-worker.ts) on
 * one PostgreSQL store, 20 integrations scheduled every 3 s through pg-boss
 * for about a minute. Every scheduled occurrence must be run exactly once
 * (counted from the `sync.completed` events, which name their occurrence),
 * none skipped, also when one worker is killed (-9) in the middle of a run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SYNC_EVENT_TYPES, type Store } from '@switchyard/platform';
import { createPostgresStore } from '@switchyard/store-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const connectionString = process.env['SWITCHYARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const WORKER = join(import.meta.dirname, 'fixtures', 'sync-worker.ts');
const INTEGRATIONS = 20;
const INTERVAL_MS = 3_000;
const RUN_FOR_MS = 60_000;
const KILL_AFTER_MS = 15_000;
const suffix = randomUUID().replaceAll('-', '').slice(0, 10);
const schema = `switchyard_scale_${suffix}`;
const jobsSchema = `switchyard_scale_jobs_${suffix}`;

interface Worker {
  readonly child: ChildProcess;
  output: string;
  readonly exited: Promise<number | null>;
}

function startWorker(): Worker {
  const config = { connectionString, schema, jobsSchema, leaseMs: 2_000, pageDelayMs: 150 };
  const child = spawn(process.execPath, [WORKER, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const worker: Worker = {
    child,
    output: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  const keep = (chunk: Buffer) => {
    worker.output = (worker.output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return worker;
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let store: Store | undefined;
const workers: Worker[] = [];
const admin = new pg.Pool({ connectionString, max: 1 });

beforeAll(async () => {
  try {
    store = await createPostgresStore({ connectionString, schema, maxConnections: 2 });
  } catch (error) {
    throw new Error(`This test needs PostgreSQL at ${connectionString} (or SWITCHYARD_TEST_DATABASE_URL): ${String(error)}`, {
      cause: error,
    });
  }
});

afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.exited));
  await store?.close().catch(() => undefined);
  // Both names are made here from a UUID, never input.
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await admin.query(`DROP SCHEMA IF EXISTS "${jobsSchema}" CASCADE`).catch(() => undefined);
  await admin.end().catch(() => undefined);
});

describe('scheduled syncs on three workers sharing PostgreSQL (pg-boss)', () => {
  it('runs every scheduled occurrence exactly once, also when a worker is killed mid-run', async () => {
    const shared = store as Store;
    const ids: string[] = [];
    for (let index = 0; index < INTEGRATIONS; index += 1) {
      const integration = await shared.integrations.create({
        providerId: 'generated',
        name: `Generated ${index}`,
        settings: { sync: { autoSync: true, syncInterval: INTERVAL_MS, batchSize: 2 } },
      });
      ids.push(integration.id);
    }

    workers.push(startWorker(), startWorker(), startWorker());
    await Promise.all(workers.map((worker) => until(() => worker.output.includes('ready'), 60_000, 'a worker starting')));
    const startedAt = Date.now();

    await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS));
    const victim = workers[0] as Worker;
    // Mid-run: right after it reads a page (each run reads three, 150 ms apart).
    const pagesSoFar = victim.output.split('page ').length;
    await until(() => victim.output.split('page ').length > pagesSoFar, 30_000, 'the victim reading a page');
    victim.child.kill('SIGKILL');
    await victim.exited;

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, RUN_FOR_MS - (Date.now() - startedAt))));
    for (const worker of workers.slice(1)) worker.child.kill('SIGTERM');
    const codes = await Promise.all(workers.slice(1).map((worker) => worker.exited));
    expect(codes, workers.map((worker) => worker.output.slice(-2_000)).join('\n---\n')).toEqual([0, 0]);

    // What pg-boss holds that did not complete, for the failure messages.
    const unfinished = await admin
      .query<{ state: string; retries: number; data: unknown; output: unknown }>(
        `SELECT state, retry_count AS retries, data, output FROM "${jobsSchema}".job WHERE state <> 'completed' ORDER BY created_on`,
      )
      .then(({ rows }) => JSON.stringify(rows.filter((row) => row.state !== 'created')).slice(0, 3_000))
      .catch((error: unknown) => `(could not read the jobs: ${String(error)})`);
    const completed = await shared.events.listRecent({ type: SYNC_EVENT_TYPES.completed, limit: 1_000 });
    expect(completed.length, 'the event log holds every completed run (below its page limit)').toBeLessThan(1_000);
    let killedSlotRecovered = false;
    for (const id of ids) {
      const slots = completed
        .filter((event) => event.integrationId === id)
        .map((event) => Number((event.payload['trigger'] as string).split(':')[2]))
        .toSorted((left, right) => left - right);
      expect(new Set(slots).size, `integration ${id}: an occurrence ran twice: ${slots.join(',')}`).toBe(slots.length);
      // From the first occurrence to the last that ran, none is missing.
      const first = slots[0] ?? 0;
      const missing = Array.from({ length: (slots.at(-1) ?? first) - first + 1 }, (_, offset) => first + offset).filter(
        (slot) => !slots.includes(slot),
      );
      expect(missing, `integration ${id}: occurrences never run; unfinished jobs: ${unfinished}`).toEqual([]);
      expect(slots.length, `integration ${id}: about one run per ${INTERVAL_MS} ms for ${RUN_FOR_MS} ms`).toBeGreaterThanOrEqual(12);
      const started = await shared.events.listRecent({ type: SYNC_EVENT_TYPES.started, integrationId: id, limit: 1_000 });
      if (started.length > slots.length) killedSlotRecovered = true;
    }
    expect(killedSlotRecovered, 'some run was started by the killed worker and completed by another').toBe(true);
  }, 180_000);
});
