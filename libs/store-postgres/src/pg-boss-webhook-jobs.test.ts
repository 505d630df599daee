import { randomUUID } from 'node:crypto';
import { createWebhookDispatcher, type Store, type WebhookDispatcher } from '@switchyard/platform';
import { startWebhookSubscriber, type WebhookSubscriber } from '@switchyard/testing';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgBossWebhookJobs } from './pg-boss-webhook-jobs';
import { createPostgresStore } from './postgres-store';

const connectionString = process.env['SWITCHYARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const suffix = randomUUID().replaceAll('-', '').slice(0, 10);
const schema = `switchyard_test_hooks_${suffix}`;
const jobsSchema = `switchyard_test_hooks_jobs_${suffix}`;
const SECRET = `whsec_${Buffer.from('pg-boss-webhook-jobs-test-secret!').toString('base64')}`;
const EVENTS = 8;

let store: Store | undefined;
let subscriber: WebhookSubscriber | undefined;
const dispatchers: WebhookDispatcher[] = [];
const admin = new pg.Pool({ connectionString, max: 1 });

beforeAll(async () => {
  try {
    store = await createPostgresStore({ connectionString, schema, maxConnections: 4 });
  } catch (error) {
    throw new Error(`These tests need PostgreSQL at ${connectionString} (or SWITCHYARD_TEST_DATABASE_URL): ${String(error)}`, {
      cause: error,
    });
  }
});

afterAll(async () => {
  await Promise.allSettled(dispatchers.map((dispatcher) => dispatcher.stop()));
  await subscriber?.close().catch(() => undefined);
  await store?.close().catch(() => undefined);
  // Both names are made here from a UUID, never input.
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await admin.query(`DROP SCHEMA IF EXISTS "${jobsSchema}" CASCADE`).catch(() => undefined);
  await admin.end().catch(() => undefined);
});

describe('outbound webhooks as pg-boss jobs, two dispatchers sharing PostgreSQL', () => {
  it('attempts each delivery in one process at a time; a subscriber failing 3 times then accepting gets each exactly once', async () => {
    const shared = store as Store;
    const inFlight = new Map<string, number>();
    let overlapping = 0;
    subscriber = await startWebhookSubscriber({
      // 503 for the first three attempts of each message, then 200.
      answer: (request) => {
        const id = request.headers['webhook-id'] ?? '';
        const seen = (subscriber?.received ?? []).filter((earlier) => earlier.headers['webhook-id'] === id).length;
        return seen < 3 ? 503 : 200;
      },
      delayMs: 30,
    });
    const subscription = await shared.webhookSubscriptions.create({
      workspaceId: 'acme',
      url: subscriber.url,
      eventTypes: ['*'],
      secret: SECRET,
    });
    const attemptsBy = [0, 0];
    for (const index of [0, 1]) {
      const jobs = createPgBossWebhookJobs({
        connectionString,
        schema: jobsSchema,
        pollingIntervalSeconds: 0.5,
        superviseIntervalSeconds: 2,
      });
      const counting: typeof fetch = async (input, init) => {
        const id = new Headers(init?.headers).get('webhook-id') ?? '';
        attemptsBy[index] = (attemptsBy[index] ?? 0) + 1;
        const now = (inFlight.get(id) ?? 0) + 1;
        inFlight.set(id, now);
        if (now > 1) overlapping += 1;
        try {
          return await fetch(input, init);
        } finally {
          inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
        }
      };
      // Polling only takes deliveries ten minutes overdue: every attempt here comes through a job.
      const dispatcher = createWebhookDispatcher({
        store: shared,
        jobs,
        orphanAfterMs: 600_000,
        fetch: counting,
        allowPrivateNetwork: true,
        retry: { maxAttempts: 6, minDelayMs: 200, maxDelayMs: 400 },
      });
      dispatcher.start();
      dispatchers.push(dispatcher);
    }

    const published = [];
    for (let index = 0; index < EVENTS; index += 1) {
      published.push(
        ...(await (dispatchers[0] as WebhookDispatcher).publish({ workspaceId: 'acme', type: 'sync.completed', payload: { index } })),
      );
    }
    expect(published).toHaveLength(EVENTS);

    await expect
      .poll(async () => (await shared.webhookOutbox.list({ subscriptionId: subscription.id, status: 'delivered' })).length, {
        timeout: 90_000,
        interval: 250,
      })
      .toBe(EVENTS);
    const accepted = subscriber.acceptedById();
    expect([...accepted.keys()].toSorted()).toEqual(published.toSorted());
    expect([...accepted.values()], 'each message accepted exactly once').toEqual(Array.from({ length: EVENTS }, () => 1));
    for (const id of published) {
      expect(subscriber.received.filter((request) => request.headers['webhook-id'] === id).length, `attempts of ${id}`).toBe(4);
      expect((await shared.webhookOutbox.get(id)).attempts).toBe(4);
    }
    expect(overlapping, 'two attempts of one delivery at once').toBe(0);
    expect(attemptsBy[0]! + attemptsBy[1]!).toBe(4 * EVENTS);

    const delivered = subscriber.received.find((request) => request.status === 200);
    const payload = new Webhook(SECRET).verify(delivered?.body ?? '', delivered?.headers ?? {});
    expect(payload).toMatchObject({ type: 'sync.completed' });
  }, 120_000);
});
