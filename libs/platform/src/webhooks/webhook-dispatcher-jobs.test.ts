import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store';
import { createWebhookDispatcher } from './webhook-dispatcher';
import type { WebhookJob, WebhookJobQueue } from './webhook-jobs';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A job queue in memory: it records what is queued; the test runs jobs by hand. */
function manualJobs(options: { failEnqueue?: boolean } = {}) {
  const queued: WebhookJob[] = [];
  let handler: ((deliveryId: string) => Promise<'done' | 'later'>) | undefined;
  const queue: WebhookJobQueue = {
    start: (given) => {
      handler = given;
      return Promise.resolve();
    },
    enqueue: (job) =>
      options.failEnqueue === true ? Promise.reject(new Error('the queue is down')) : Promise.resolve(void queued.push(job)),
    stop: () => Promise.resolve(),
  };
  return { queue, queued, run: (deliveryId: string) => (handler as (deliveryId: string) => Promise<'done' | 'later'>)(deliveryId) };
}

async function subscriber(statuses: number[]) {
  let calls = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(statuses[Math.min(calls++, statuses.length - 1)] ?? 200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, calls: () => calls };
}

describe('createWebhookDispatcher with a job queue', () => {
  it('queues a job per attempt: the first at publish, the next when an attempt asks for a retry', async () => {
    const store = createMemoryStore();
    const peer = await subscriber([503, 200]);
    await store.webhookSubscriptions.create({ workspaceId: 'acme', url: peer.url, eventTypes: ['*'] });
    const jobs = manualJobs();
    const dispatcher = createWebhookDispatcher({
      store,
      jobs: jobs.queue,
      allowPrivateNetwork: true,
      retry: { minDelayMs: 10, maxDelayMs: 20 },
    });
    cleanups.push(() => dispatcher.stop());
    dispatcher.start();

    const [id] = await dispatcher.publish({ workspaceId: 'acme', type: 'integration.created', payload: { id: 'x' } });
    expect(jobs.queued).toEqual([{ deliveryId: id, attempt: 1, at: expect.any(String) as unknown }]);
    expect(await jobs.run(id as string)).toBe('done');
    expect(jobs.queued[1]).toMatchObject({ deliveryId: id, attempt: 2 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await jobs.run(id as string)).toBe('done');
    expect((await store.webhookOutbox.get(id as string)).status).toBe('delivered');
    expect(peer.calls()).toBe(2);
    expect(await jobs.run(id as string), 'a job for a delivered delivery does nothing').toBe('done');
    expect(peer.calls()).toBe(2);
  });

  it('answers later while another process holds the delivery', async () => {
    const store = createMemoryStore();
    const peer = await subscriber([200]);
    await store.webhookSubscriptions.create({ workspaceId: 'acme', url: peer.url, eventTypes: ['*'] });
    const jobs = manualJobs();
    const dispatcher = createWebhookDispatcher({ store, jobs: jobs.queue, allowPrivateNetwork: true });
    cleanups.push(() => dispatcher.stop());
    dispatcher.start();
    const [id] = await dispatcher.publish({ workspaceId: 'acme', type: 'integration.created', payload: {} });
    // Another process claimed it a moment ago.
    await store.webhookOutbox.claimDue({ now: new Date().toISOString(), limit: 1, leaseMs: 60_000 });
    expect(await jobs.run(id as string)).toBe('later');
    expect(peer.calls()).toBe(0);
  });

  it('a delivery whose job was lost is taken by polling once it is orphanAfterMs overdue', async () => {
    const store = createMemoryStore();
    const peer = await subscriber([200]);
    await store.webhookSubscriptions.create({ workspaceId: 'acme', url: peer.url, eventTypes: ['*'] });
    const jobs = manualJobs({ failEnqueue: true });
    const dispatcher = createWebhookDispatcher({
      store,
      jobs: jobs.queue,
      orphanAfterMs: 300,
      pollIntervalMs: 50,
      allowPrivateNetwork: true,
    });
    cleanups.push(() => dispatcher.stop());
    dispatcher.start();
    const [id] = await dispatcher.publish({ workspaceId: 'acme', type: 'integration.created', payload: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(peer.calls(), 'not before it is overdue').toBe(0);
    await expect.poll(async () => (await store.webhookOutbox.get(id as string)).status, { timeout: 10_000 }).toBe('delivered');
    expect(peer.calls()).toBe(1);
  });
});
