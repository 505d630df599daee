import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApiKeys } from '@switchyard/platform';
import { createSqliteStore } from '@switchyard/store-sqlite';
import { startWebhookSubscriber, type WebhookSubscriber } from '@switchyard/testing';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './__fixtures__/server-test-kit';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
});

async function waitFor(condition: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const stopAt = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > stopAt) throw new Error(`gave up waiting for ${what}`);
    await sleep(25);
  }
}

describe('outbound webhooks through the server', () => {
  it('a subscriber that fails 3 times then succeeds gets exactly one accepted delivery, signed so that Webhook.verify accepts it', async () => {
    const subscriber = await startWebhookSubscriber({ answer: (_request, index) => (index < 3 ? 500 : 200) });
    cleanups.push(() => subscriber.close());
    const running: TestServer = await startTestServer({
      outboundWebhooks: { allowPrivateNetwork: true, retry: { minDelayMs: 10, maxDelayMs: 50 } },
    });
    cleanups.push(() => running.close());
    const { call, keys } = running;

    const subscribed = await call('POST', '/api/v1/webhooks', {
      key: keys.admin,
      body: { url: subscriber.url, eventTypes: ['integration.created'], description: 'CRM sync' },
    });
    expect(subscribed.status).toBe(201);
    const { id, secret } = subscribed.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect((await call('GET', `/api/v1/webhooks/${id}`, { key: keys.admin })).text).not.toContain(secret);
    expect((await call('GET', '/api/v1/webhooks', { key: keys.execute })).status).toBe(403);

    await call('POST', '/api/v1/integrations', { key: keys.admin, body: { providerId: 'backup', name: 'Backup storage' } });
    await waitFor(() => [...subscriber.acceptedById().values()].length > 0, 'the accepted delivery');
    expect(subscriber.received.map((request) => request.status)).toEqual([500, 500, 500, 200]);
    expect([...subscriber.acceptedById().values()]).toEqual([1]);
    const accepted = subscriber.received[3]!;
    expect(new Set(subscriber.received.map((request) => request.headers['webhook-id'])).size).toBe(1);
    const verified = new Webhook(secret).verify(accepted.body, accepted.headers) as { type: string; data: { integrationId: string } };
    expect(verified).toMatchObject({ type: 'integration.created', data: { integrationId: expect.any(String) as string } });
    // A forged copy does not verify.
    expect(() =>
      new Webhook(secret).verify(accepted.body.replace('integration.created', 'integration.deleted'), accepted.headers),
    ).toThrow();

    const log = (await call('GET', `/api/v1/webhooks/${id}/deliveries`, { key: keys.admin })).body as {
      deliveries: { status: string; attempts: number; lastStatus: number }[];
    };
    expect(log.deliveries).toMatchObject([{ status: 'delivered', attempts: 4, lastStatus: 200 }]);
    expect(JSON.stringify(log)).not.toContain(secret);
  }, 60_000);

  it('refuses a private or loopback subscriber URL unless allowed, naming the field', async () => {
    const running = await startTestServer();
    cleanups.push(() => running.close());
    const refused = await running.call('POST', '/api/v1/webhooks', {
      key: running.keys.admin,
      body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['*'] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ kind: 'validation' });
    expect((await running.call('GET', '/api/v1/webhooks', { key: running.keys.admin })).body).toEqual({ webhooks: [] });
  });

  it('kill -9 with deliveries queued, restart on the same SQLite file: every delivery arrives', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-outbound-'));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const path = join(directory, 'switchyard.db');
    const seed = createSqliteStore({ path });
    const { key } = await createApiKeys(seed).issue({ name: 'admin', scopes: ['admin'] });
    await seed.close();
    // Down at first: every attempt fails, so the deliveries stay queued.
    const subscriber: WebhookSubscriber = await startWebhookSubscriber({ answer: () => 503 });
    cleanups.push(() => subscriber.close());

    const start = async (): Promise<{ child: ChildProcess; url: string }> => {
      const child = spawn(process.execPath, [join(import.meta.dirname, '__fixtures__', 'serve-child.mjs'), path], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      cleanups.push(() => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the server child printed no URL')), 30_000);
        createInterface({ input: child.stdout }).once('line', (text) => {
          clearTimeout(timer);
          resolve(text);
        });
      });
      return { child, url: (JSON.parse(line) as { url: string }).url };
    };
    const post = (url: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const first = await start();
    expect((await post(first.url, '/api/v1/webhooks', { url: subscriber.url, eventTypes: ['integration.created'] })).status).toBe(201);
    const count = 10;
    for (let index = 0; index < count; index += 1) {
      expect((await post(first.url, '/api/v1/integrations', { providerId: 'backup', name: `Store ${index}`, connect: false })).status).toBe(
        201,
      );
    }
    await waitFor(
      () => new Set(subscriber.received.map((request) => request.headers['webhook-id'])).size === count,
      'a failed attempt of each',
    );
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    subscriber.answerWith(() => 200);
    const before = subscriber.received.length;
    const second = await start();
    await waitFor(() => subscriber.acceptedById().size === count, `${count} accepted deliveries`);
    expect([...subscriber.acceptedById().values()].every((accepted) => accepted === 1)).toBe(true);
    expect(subscriber.received.length).toBeGreaterThan(before);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  }, 90_000);
});
