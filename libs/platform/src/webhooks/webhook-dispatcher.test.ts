import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store';
import type { Store } from '../store/store';
import { createWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher';
import { createWebhookSecret } from './webhook-secret';

interface Received {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly status: number;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A subscriber on 127.0.0.1 answering `answer(index)`; `'down'` drops the connection. */
async function subscriber(answer: (index: number) => number | 'down') {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = answer(received.length);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      received.push({ headers, body: Buffer.concat(chunks).toString('utf8'), status: status === 'down' ? 0 : status });
      if (status === 'down') request.socket.destroy();
      else response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

function dispatcherFor(store: Store, options: Partial<WebhookDispatcherOptions> = {}): WebhookDispatcher {
  const dispatcher = createWebhookDispatcher({
    store,
    allowPrivateNetwork: true,
    retry: { minDelayMs: 10, maxDelayMs: 20 },
    pollIntervalMs: 10,
    ...options,
  });
  cleanups.push(() => dispatcher.stop());
  return dispatcher;
}

/** Calls `read` until `done`, every 10 ms, for at most 30 s. */
async function until<Value>(label: string, read: () => Promise<Value>, done: (value: Value) => boolean): Promise<Value> {
  for (let tries = 0; tries < 3000; tries += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${label} did not happen within 30 s`);
}

describe('createWebhookDispatcher', () => {
  it('retries a subscriber that fails three times, and it accepts exactly one signed delivery', { timeout: 40_000 }, async () => {
    const store = createMemoryStore();
    const target = await subscriber((index) => (index < 3 ? 500 : 200));
    const subscription = await store.webhookSubscriptions.create({
      workspaceId: 'acme',
      url: target.url,
      eventTypes: ['integration.created'],
    });
    const dispatcher = dispatcherFor(store);
    dispatcher.start();
    const [id] = await dispatcher.publish({ workspaceId: 'acme', type: 'integration.created', payload: { id: 'github-acme' } });

    const record = await until(
      'delivery',
      () => store.webhookOutbox.get(id ?? ''),
      (delivery) => delivery.status === 'delivered',
    );
    expect(record).toMatchObject({ attempts: 4, lastStatus: 200, status: 'delivered' });
    expect(target.received.map((request) => request.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(target.received.map((request) => request.headers['webhook-id'])), 'the same webhook-id on every attempt').toEqual(
      new Set([id]),
    );
    const accepted = target.received[3]!;
    expect(accepted.headers['content-type']).toBe('application/json');
    const verified = new Webhook(subscription.secret).verify(accepted.body, accepted.headers);
    expect(verified).toEqual({ type: 'integration.created', timestamp: record.createdAt, data: { id: 'github-acme' } });
    expect(() => new Webhook(createWebhookSecret()).verify(accepted.body, accepted.headers), 'another secret').toThrow();
  });

  it('publishes only to enabled subscriptions of the workspace that take the type, once per event id', async () => {
    const store = createMemoryStore();
    const url = 'https://hooks.example.com/in';
    const all = await store.webhookSubscriptions.create({ workspaceId: 'acme', url, eventTypes: ['*'] });
    const typed = await store.webhookSubscriptions.create({ workspaceId: 'acme', url, eventTypes: ['a.created'] });
    await store.webhookSubscriptions.create({ workspaceId: 'acme', url, eventTypes: ['b.created'] });
    await store.webhookSubscriptions.create({ workspaceId: 'acme', url, eventTypes: ['*'], enabled: false });
    await store.webhookSubscriptions.create({ workspaceId: 'globex', url, eventTypes: ['*'] });
    const dispatcher = dispatcherFor(store);

    const ids = await dispatcher.publish({ workspaceId: 'acme', type: 'a.created', payload: { n: 1 }, id: 'evt_1' });
    expect(ids).toHaveLength(2);
    const queued = await store.webhookOutbox.list();
    expect(queued.map((delivery) => delivery.subscriptionId).sort()).toEqual([all.id, typed.id].sort());
    expect(await dispatcher.publish({ workspaceId: 'acme', type: 'a.created', payload: { n: 1 }, id: 'evt_1' }), 'republished').toEqual(
      ids,
    );
    expect(await store.webhookOutbox.list(), 'nothing new queued').toHaveLength(2);
    expect(await dispatcher.publish({ workspaceId: 'acme', type: 'a.created', payload: { n: 2 } })).toHaveLength(2);
    expect(await dispatcher.publish({ workspaceId: 'initech', type: 'a.created', payload: {} })).toEqual([]);
  });

  it('by default refuses loopback, private and plain-http URLs: failed, without any request', async () => {
    const store = createMemoryStore();
    const target = await subscriber(() => 200);
    const port = new URL(target.url).port;
    const urls = [`https://127.0.0.1:${port}/hooks`, 'https://10.1.2.3/hooks', `https://localhost:${port}/hooks`, target.url];
    const urlOf = new Map<string, string>();
    for (const url of urls) urlOf.set((await store.webhookSubscriptions.create({ workspaceId: 'acme', url, eventTypes: ['*'] })).id, url);
    let requests = 0;
    const dispatcher = dispatcherFor(store, {
      allowPrivateNetwork: undefined,
      fetch: (input, init) => {
        requests += 1;
        return fetch(input, init);
      },
    });
    const ids = await dispatcher.publish({ workspaceId: 'acme', type: 'x', payload: {} });
    expect(await dispatcher.runOnce()).toEqual({ claimed: 4, delivered: 0, retried: 0, failed: 4 });
    expect(requests, 'no request was made').toBe(0);
    expect(target.received).toEqual([]);
    const errorByUrl = new Map<string | undefined, string | undefined>();
    for (const id of ids) {
      const delivery = await store.webhookOutbox.get(id);
      errorByUrl.set(urlOf.get(delivery.subscriptionId), delivery.lastError);
    }
    expect(errorByUrl.get(urls[0])).toMatch(/127\.0\.0\.1.*private/);
    expect(errorByUrl.get(urls[1])).toMatch(/10\.1\.2\.3.*private/);
    expect(errorByUrl.get(urls[2])).toMatch(/localhost.*private/);
    expect(errorByUrl.get(urls[3])).toMatch(/must be https/);
  });

  it('fails at once on a refusing 4xx, retries a 429 no sooner than its Retry-After, and gives up after maxAttempts', async () => {
    const store = createMemoryStore();
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    const answers: Response[] = [];
    const fetchAnswering = () => Promise.resolve(answers.shift() ?? new Response(null, { status: 500 }));
    const refused = await store.webhookSubscriptions.create({ workspaceId: 'acme', url: 'http://refused.test/', eventTypes: ['gone'] });
    await store.webhookSubscriptions.create({ workspaceId: 'acme', url: 'http://limited.test/', eventTypes: ['busy'] });
    const dispatcher = dispatcherFor(store, {
      fetch: fetchAnswering,
      clock: () => now,
      retry: { maxAttempts: 3, minDelayMs: 1000, maxDelayMs: 600_000 },
    });
    const [gone] = await dispatcher.publish({ workspaceId: 'acme', type: 'gone', payload: {} });
    answers.push(new Response(null, { status: 410 }));
    await dispatcher.runOnce();
    expect(await store.webhookOutbox.get(gone ?? '')).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatus: 410,
      subscriptionId: refused.id,
    });

    const [busy] = await dispatcher.publish({ workspaceId: 'acme', type: 'busy', payload: {} });
    answers.push(new Response(null, { status: 429, headers: { 'retry-after': '120' } }));
    await dispatcher.runOnce();
    const limited = await store.webhookOutbox.get(busy ?? '');
    expect(limited).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 429 });
    expect(Date.parse(limited.nextAttemptAt) - now).toBe(120_000);
    expect(await dispatcher.runOnce(), 'not due before the Retry-After').toMatchObject({ claimed: 0 });
    now += 120_000;
    await dispatcher.runOnce();
    const second = await store.webhookOutbox.get(busy ?? '');
    expect(second).toMatchObject({ status: 'pending', attempts: 2, lastStatus: 500 });
    const delay = Date.parse(second.nextAttemptAt) - now;
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay, 'at most the second exponential step').toBeLessThanOrEqual(2000);
    now += 2000;
    await dispatcher.runOnce();
    expect(await store.webhookOutbox.get(busy ?? '')).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: 'the subscriber answered HTTP 500',
    });
  });

  it('keeps the subscription secret out of the delivery log and the logs', async () => {
    const store = createMemoryStore();
    const secret = createWebhookSecret();
    await store.webhookSubscriptions.create({ workspaceId: 'acme', url: 'http://leaky.test/', eventTypes: ['*'], secret });
    const lines: unknown[] = [];
    const record = (fields: Record<string, unknown>, message?: string) => lines.push({ fields, message });
    const dispatcher = dispatcherFor(store, {
      fetch: () => Promise.reject(new Error(`socket hang up while sending ${secret} (key ${secret.slice(6)})`)),
      retry: { maxAttempts: 2, minDelayMs: 0, maxDelayMs: 0 },
      logger: { debug: record, info: record, warn: record, error: record },
    });
    await dispatcher.publish({ workspaceId: 'acme', type: 'x', payload: {} });
    await dispatcher.runOnce();
    await dispatcher.runOnce();
    const log = await store.webhookOutbox.list();
    expect(log[0]).toMatchObject({ status: 'failed', attempts: 2 });
    expect(log[0]?.lastError).toContain('socket hang up');
    const everything = JSON.stringify({ log, lines });
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(secret.slice(6));
  });

  it('loses no queued delivery when a dispatcher stops and a new one starts, and delivers each once', { timeout: 70_000 }, async () => {
    const store = createMemoryStore();
    let up = false;
    const target = await subscriber(() => (up ? 200 : 'down'));
    await store.webhookSubscriptions.create({ workspaceId: 'acme', url: target.url, eventTypes: ['*'] });
    const first = dispatcherFor(store, { retry: { maxAttempts: 1000, minDelayMs: 10, maxDelayMs: 20 } });
    const ids: string[] = [];
    for (let index = 0; index < 20; index += 1) ids.push(...(await first.publish({ workspaceId: 'acme', type: 'x', payload: { index } })));
    first.start();
    await until(
      'attempts while down',
      () => Promise.resolve(target.received.length),
      (count) => count >= 20,
    );
    await first.stop();
    up = true;
    const second = dispatcherFor(store);
    second.start();
    await until(
      'all delivered',
      () => store.webhookOutbox.list({ status: 'delivered' }),
      (delivered) => delivered.length === 20,
    );
    const accepted = target.received.filter((request) => request.status === 200).map((request) => request.headers['webhook-id']);
    expect([...accepted].sort()).toEqual([...ids].sort());
  });
});
