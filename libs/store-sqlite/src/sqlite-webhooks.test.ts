import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createWebhookDispatcher } from '@switchyard/platform';
import { expectWebhooksSurviveRestart, startWebhookSubscriber } from '@switchyard/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './sqlite-store';

const folder = mkdtempSync(join(tmpdir(), 'switchyard-sqlite-webhooks-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let count = 0;
const nextPath = () => join(folder, `webhooks-${(count += 1)}.db`);
const CHILD = join(import.meta.dirname, '__fixtures__', 'webhook-dispatch-child.mjs');

/** Calls `read` until `done`, every 20 ms, for at most 30 s. */
async function until<Value>(label: string, read: () => Promise<Value> | Value, done: (value: Value) => boolean): Promise<Value> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${label} did not happen within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sqlite store: outbound webhooks', () => {
  it('delivers every queued delivery exactly once after the store is reopened by a new dispatcher', { timeout: 70_000 }, async () => {
    const path = nextPath();
    await expectWebhooksSurviveRestart({ open: () => Promise.resolve(createSqliteStore({ path })) });
  });

  it('never hands one delivery to two stores sharing the file', async () => {
    const path = nextPath();
    const [left, right] = [createSqliteStore({ path }), createSqliteStore({ path })];
    try {
      await left.webhookSubscriptions.create({ id: 's1', workspaceId: 'acme', url: 'https://hooks.example.com', eventTypes: ['*'] });
      for (let index = 0; index < 30; index += 1) {
        await left.webhookOutbox.enqueue({ subscriptionId: 's1', workspaceId: 'acme', eventType: 'x', payload: { index } });
      }
      const now = new Date(Date.now() + 1000).toISOString();
      const claims = await Promise.all(
        [left, right, left, right, left].map((store) => store.webhookOutbox.claimDue({ now, limit: 7, leaseMs: 60_000 })),
      );
      const ids = claims.flat().map((delivery) => delivery.id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    } finally {
      await Promise.all([left.close(), right.close()]);
    }
  });

  it(
    'delivers the rest after the dispatching process is killed: at least once, recorded delivered once',
    { timeout: 100_000 },
    async () => {
      const path = nextPath();
      const subscriber = await startWebhookSubscriber({ delayMs: 300, answer: () => 200 });
      const child = spawn(process.execPath, [CHILD, path, subscriber.url, '12'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = once(child, 'exit');
      const store = { current: undefined as ReturnType<typeof createSqliteStore> | undefined };
      try {
        const lines = createInterface({ input: child.stdout });
        const firstLine = await Promise.race([
          once(lines, 'line').then(([line]) => String(line)),
          exited.then(() => Promise.reject(new Error(`the child exited early: ${stderr}`))),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ids from the child within 30 s: ${stderr}`)), 30_000)),
        ]);
        const { ids } = JSON.parse(firstLine) as { ids: string[] };
        expect(ids).toHaveLength(12);
        await until(
          'the child delivering',
          () => subscriber.received.length,
          (received) => received >= 3,
        );
        child.kill('SIGKILL');
        await exited;

        store.current = createSqliteStore({ path });
        const atKill = await store.current.webhookOutbox.list({ limit: 100 });
        const inFlight = new Set(atKill.filter((delivery) => delivery.status === 'delivering').map((delivery) => delivery.id));
        expect(atKill.filter((delivery) => delivery.status === 'delivered').length, 'the kill left work to do').toBeLessThan(12);
        const dispatcher = createWebhookDispatcher({
          store: store.current,
          allowPrivateNetwork: true,
          pollIntervalMs: 20,
          leaseMs: 1500,
          retry: { maxAttempts: 1000, minDelayMs: 10, maxDelayMs: 20 },
        });
        dispatcher.start();
        try {
          await until(
            'every delivery delivered',
            () => store.current!.webhookOutbox.list({ status: 'delivered', limit: 100 }),
            (delivered) => delivered.length === 12,
          );
        } finally {
          await dispatcher.stop();
        }

        const accepted = subscriber.acceptedById();
        expect([...accepted.keys()].sort(), 'every delivery arrived').toEqual([...ids].sort());
        const repeated = [...accepted.entries()].filter(([, times]) => times > 1).map(([id]) => id);
        expect(
          repeated.filter((id) => !inFlight.has(id)),
          'only deliveries in flight at the kill arrive twice',
        ).toEqual([]);
        const log = await store.current.webhookOutbox.list({ limit: 100 });
        expect(
          log.map((delivery) => [delivery.status, delivery.attempts]),
          'each recorded delivered by one attempt',
        ).toEqual(log.map(() => ['delivered', 1]));
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await store.current?.close();
        await subscriber.close();
      }
    },
  );
});
