import type { NewWebhookOutboxEntry, Store } from '@switchyard/platform';
import { expect } from 'vitest';
import { expectIntegrationError } from './capability-client';
import type { StoreCase } from './store-suite';
import { expectRecent } from './suite-helpers';

/** A fixed secret: `whsec_` and the base64 of 24 bytes. */
const SECRET = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
const DUE = '2030-01-01T00:00:00.000Z';
const NOW = '2030-01-01T00:00:01.000Z';

async function subscribe(store: Store, id: string, workspaceId = 'acme') {
  return store.webhookSubscriptions.create({ id, workspaceId, url: `https://hooks.example.com/${id}`, eventTypes: ['*'] });
}

function entry(id: string, subscriptionId = 's1', changes: Partial<NewWebhookOutboxEntry> = {}): NewWebhookOutboxEntry {
  return { id, subscriptionId, workspaceId: 'acme', eventType: 'integration.created', payload: { id }, nextAttemptAt: DUE, ...changes };
}

const ids = (records: readonly { readonly id: string }[]) => records.map((record) => record.id);

/** The outbound webhook cases of the store contract: subscriptions, and the outbox's queue, claims and delivery log. */
export function webhookStoreCases(): StoreCase[] {
  return [
    {
      title: 'webhookSubscriptions: creates with defaults, gets, lists by workspace, updates and deletes',
      run: async (store) => {
        const created = await store.webhookSubscriptions.create({
          id: 's1',
          workspaceId: 'acme',
          url: 'https://hooks.example.com/in',
          eventTypes: ['integration.created', 'integration.deleted', 'integration.created'],
        });
        expect(created).toMatchObject({
          id: 's1',
          workspaceId: 'acme',
          url: 'https://hooks.example.com/in',
          eventTypes: ['integration.created', 'integration.deleted'],
          description: '',
          enabled: true,
        });
        expect(created.secret, 'a generated Standard Webhooks secret').toMatch(/^whsec_[A-Za-z0-9+/]{40,}={0,2}$/);
        expectRecent(created.createdAt, 'createdAt');
        expect(await store.webhookSubscriptions.get('s1')).toEqual(created);
        const other = await store.webhookSubscriptions.create({
          id: 's2',
          workspaceId: 'acme',
          url: 'http://10.0.0.1/x',
          eventTypes: ['*'],
          secret: SECRET,
        });
        expect(other.secret).toBe(SECRET);
        expect(other.secret).not.toBe(created.secret);
        await subscribe(store, 's3', 'globex');
        expect(ids(await store.webhookSubscriptions.list())).toEqual(['s1', 's2', 's3']);
        expect(ids(await store.webhookSubscriptions.list({ workspaceId: 'globex' }))).toEqual(['s3']);

        const updated = await store.webhookSubscriptions.update('s1', { enabled: false, description: 'CRM sync', eventTypes: ['*'] });
        expect(updated).toMatchObject({
          enabled: false,
          description: 'CRM sync',
          eventTypes: ['*'],
          url: created.url,
          secret: created.secret,
        });
        expect(updated.createdAt).toBe(created.createdAt);
        expect(updated.updatedAt >= created.updatedAt).toBe(true);
        const rotated = await store.webhookSubscriptions.update('s1', { secret: SECRET, url: 'https://hooks.example.com/v2' });
        expect(rotated).toMatchObject({ secret: SECRET, url: 'https://hooks.example.com/v2', enabled: false });
        expect(await store.webhookSubscriptions.get('s1')).toEqual(rotated);

        await store.webhookSubscriptions.delete('s1');
        await expectIntegrationError(store.webhookSubscriptions.get('s1'), 'not_found', 'get after delete');
        await expectIntegrationError(store.webhookSubscriptions.delete('s1'), 'not_found', 'delete twice');
        await expectIntegrationError(store.webhookSubscriptions.update('s1', { enabled: true }), 'not_found', 'update after delete');
      },
    },
    {
      title: 'webhookSubscriptions: refuses a taken id, no event types, non-HTTP URLs and malformed secrets',
      run: async (store) => {
        await subscribe(store, 's1');
        const create = (changes: Record<string, unknown>) =>
          store.webhookSubscriptions.create({ workspaceId: 'acme', url: 'https://hooks.example.com', eventTypes: ['*'], ...changes });
        await expectIntegrationError(create({ id: 's1' }), 'conflict', 'a taken id');
        await expectIntegrationError(create({ eventTypes: [] }), 'validation', 'no event types');
        await expectIntegrationError(create({ eventTypes: [''] }), 'validation', 'an empty event type');
        await expectIntegrationError(create({ url: 'ftp://hooks.example.com' }), 'validation', 'an ftp: URL');
        await expectIntegrationError(create({ url: 'not a url' }), 'validation', 'not a URL');
        await expectIntegrationError(create({ secret: Buffer.alloc(32).toString('base64') }), 'validation', 'a secret without whsec_');
        await expectIntegrationError(create({ secret: `whsec_${Buffer.alloc(16).toString('base64')}` }), 'validation', 'a 16-byte secret');
        await expectIntegrationError(create({ secret: 'whsec_%%%%' }), 'validation', 'a secret that is not base64');
        await expectIntegrationError(store.webhookSubscriptions.update('s1', { eventTypes: [] }), 'validation', 'clearing event types');
        expect(await store.webhookSubscriptions.list()).toHaveLength(1);
      },
    },
    {
      title: 'webhookOutbox: enqueues pending deliveries, gets them and lists newest first, filtered',
      run: async (store) => {
        await subscribe(store, 's1');
        await subscribe(store, 's2');
        const first = await store.webhookOutbox.enqueue(entry('d1', 's1', { payload: { nested: { list: [1, 'two'] } } }));
        expect(first).toMatchObject({
          id: 'd1',
          subscriptionId: 's1',
          workspaceId: 'acme',
          eventType: 'integration.created',
          payload: { nested: { list: [1, 'two'] } },
          status: 'pending',
          attempts: 0,
          nextAttemptAt: DUE,
        });
        for (const key of ['leaseExpiresAt', 'lastAttemptAt', 'lastStatus', 'lastError'] as const) expect(first[key], key).toBeUndefined();
        expectRecent(first.createdAt, 'createdAt');
        expect(await store.webhookOutbox.get('d1')).toEqual(first);
        for (const id of ['d2', 'd3', 'd4']) await store.webhookOutbox.enqueue(entry(id, id === 'd3' ? 's2' : 's1'));
        const defaulted = await store.webhookOutbox.enqueue({ subscriptionId: 's2', workspaceId: 'acme', eventType: 'x', payload: {} });
        expectRecent(defaulted.nextAttemptAt, 'the default nextAttemptAt');

        expect(ids(await store.webhookOutbox.list())).toEqual([defaulted.id, 'd4', 'd3', 'd2', 'd1']);
        expect(ids(await store.webhookOutbox.list({ subscriptionId: 's1', limit: 2 }))).toEqual(['d4', 'd2']);
        expect(ids(await store.webhookOutbox.list({ status: 'delivered' }))).toEqual([]);

        await expectIntegrationError(store.webhookOutbox.enqueue(entry('d1')), 'conflict', 'a taken id');
        await expectIntegrationError(store.webhookOutbox.enqueue(entry('d9', 'missing')), 'not_found', 'an unknown subscription');
        await expectIntegrationError(
          store.webhookOutbox.enqueue(entry('d9', 's1', { workspaceId: 'globex' })),
          'not_found',
          "another workspace's subscription",
        );
        await expectIntegrationError(
          store.webhookOutbox.enqueue(entry('d9', 's1', { payload: [] as never })),
          'validation',
          'an array payload',
        );
        await expectIntegrationError(store.webhookOutbox.list({ limit: 0 }), 'validation', 'a limit of 0');
        await expectIntegrationError(store.webhookOutbox.get('d9'), 'not_found', 'an unknown delivery');
      },
    },
    {
      title: 'webhookOutbox: claims due deliveries once, earliest first, and again only after the lease expires',
      run: async (store) => {
        await subscribe(store, 's1');
        await store.webhookOutbox.enqueue(entry('late', 's1', { nextAttemptAt: '2030-01-01T00:00:00.500Z' }));
        await store.webhookOutbox.enqueue(entry('early', 's1', { nextAttemptAt: '2029-12-31T23:59:59.000Z' }));
        await store.webhookOutbox.enqueue(entry('future', 's1', { nextAttemptAt: '2030-01-01T00:00:02.000Z' }));
        await store.webhookOutbox.enqueue(entry('third', 's1'));

        expect(
          ids(await store.webhookOutbox.claimDue({ now: NOW, limit: 10, leaseMs: 60_000, ids: ['third', 'future', 'unknown'] })),
          'only among the ids given, and only what is due',
        ).toEqual(['third']);
        await store.webhookOutbox.recordAttempt('third', { outcome: 'retry', nextAttemptAt: '2030-01-01T00:00:00.000Z', attemptedAt: NOW });
        const claimed = await store.webhookOutbox.claimDue({ now: NOW, limit: 2, leaseMs: 60_000 });
        expect(ids(claimed)).toEqual(['early', 'third']);
        expect(claimed[0]).toMatchObject({ status: 'delivering', leaseExpiresAt: '2030-01-01T00:01:01.000Z', attempts: 0 });
        expect(claimed[1]).toMatchObject({ status: 'delivering', attempts: 1 });
        expect(ids(await store.webhookOutbox.claimDue({ now: NOW, limit: 10, leaseMs: 60_000 }))).toEqual(['late']);
        expect(await store.webhookOutbox.claimDue({ now: NOW, limit: 10, leaseMs: 60_000 }), 'nothing is due twice').toEqual([]);
        expect((await store.webhookOutbox.get('future')).status).toBe('pending');

        const afterLease = await store.webhookOutbox.claimDue({ now: '2030-01-01T00:01:01.000Z', limit: 10, leaseMs: 1000 });
        expect(ids(afterLease), 'expired leases and the now-due delivery, earliest first').toEqual(['early', 'third', 'late', 'future']);
        expect(afterLease.find((record) => record.id === 'early')?.leaseExpiresAt).toBe('2030-01-01T00:01:02.000Z');
        await expectIntegrationError(store.webhookOutbox.claimDue({ now: NOW, limit: 0, leaseMs: 1000 }), 'validation', 'a limit of 0');
        await expectIntegrationError(store.webhookOutbox.claimDue({ now: 'soon', limit: 1, leaseMs: 1000 }), 'validation', 'a bad now');
      },
    },
    {
      title: 'webhookOutbox: records retries, deliveries and failures, and refuses a delivery that is not claimed',
      run: async (store) => {
        await subscribe(store, 's1');
        await store.webhookOutbox.enqueue(entry('d1'));
        await store.webhookOutbox.enqueue(entry('d2'));
        await expectIntegrationError(
          store.webhookOutbox.recordAttempt('d1', { outcome: 'delivered', attemptedAt: NOW }),
          'conflict',
          'a pending delivery',
        );
        await store.webhookOutbox.claimDue({ now: NOW, limit: 10, leaseMs: 60_000 });
        await expectIntegrationError(
          store.webhookOutbox.recordAttempt('d1', { outcome: 'retry', attemptedAt: NOW }),
          'validation',
          'a retry without nextAttemptAt',
        );
        const retried = await store.webhookOutbox.recordAttempt('d1', {
          outcome: 'retry',
          responseStatus: 503,
          error: 'the subscriber answered HTTP 503',
          attemptedAt: NOW,
          nextAttemptAt: '2030-01-01T00:00:05.000Z',
        });
        expect(retried).toMatchObject({
          status: 'pending',
          attempts: 1,
          lastStatus: 503,
          lastError: 'the subscriber answered HTTP 503',
          lastAttemptAt: NOW,
          nextAttemptAt: '2030-01-01T00:00:05.000Z',
        });
        expect(retried.leaseExpiresAt).toBeUndefined();
        expect(await store.webhookOutbox.claimDue({ now: '2030-01-01T00:00:04.999Z', limit: 10, leaseMs: 1 }), 'not due yet').toEqual([]);
        expect(ids(await store.webhookOutbox.claimDue({ now: '2030-01-01T00:00:05.000Z', limit: 10, leaseMs: 60_000 }))).toEqual(['d1']);
        const delivered = await store.webhookOutbox.recordAttempt('d1', {
          outcome: 'delivered',
          responseStatus: 204,
          attemptedAt: '2030-01-01T00:00:06Z',
        });
        expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204, lastAttemptAt: '2030-01-01T00:00:06.000Z' });
        expect(delivered.lastError).toBeUndefined();
        await expectIntegrationError(
          store.webhookOutbox.recordAttempt('d1', { outcome: 'delivered', attemptedAt: NOW }),
          'conflict',
          'recording a delivered delivery again',
        );
        const failed = await store.webhookOutbox.recordAttempt('d2', { outcome: 'failed', error: 'refused', attemptedAt: NOW });
        expect(failed).toMatchObject({ status: 'failed', attempts: 1, lastError: 'refused' });
        expect(failed.lastStatus).toBeUndefined();
        expect(await store.webhookOutbox.claimDue({ now: '2031-01-01T00:00:00.000Z', limit: 10, leaseMs: 1 }), 'final states stay').toEqual(
          [],
        );
        expect(ids(await store.webhookOutbox.list({ status: 'delivered' }))).toEqual(['d1']);
        await expectIntegrationError(
          store.webhookOutbox.recordAttempt('missing', { outcome: 'failed', attemptedAt: NOW }),
          'not_found',
          'an unknown delivery',
        );
      },
    },
    {
      title: 'webhookOutbox: concurrent claims never return the same delivery',
      run: async (store) => {
        await subscribe(store, 's1');
        const all = Array.from({ length: 40 }, (_, index) => `d${String(index).padStart(2, '0')}`);
        for (const id of all) await store.webhookOutbox.enqueue(entry(id));
        const claims = await Promise.all(
          Array.from({ length: 6 }, () => store.webhookOutbox.claimDue({ now: NOW, limit: 8, leaseMs: 60_000 })),
        );
        const claimed = claims.flatMap(ids);
        expect(new Set(claimed).size, 'no delivery handed out twice').toBe(claimed.length);
        expect(claimed.length, 'six claims of 8 cover the 40').toBe(40);
        expect([...claimed].sort()).toEqual(all);
      },
    },
    {
      title: 'webhookSubscriptions: deleting one deletes its deliveries, and no others',
      run: async (store) => {
        await subscribe(store, 's1');
        await subscribe(store, 's2');
        await store.webhookOutbox.enqueue(entry('d1', 's1'));
        await store.webhookOutbox.enqueue(entry('d2', 's2'));
        await store.webhookSubscriptions.delete('s1');
        await expectIntegrationError(store.webhookOutbox.get('d1'), 'not_found', "a deleted subscription's delivery");
        expect(ids(await store.webhookOutbox.list())).toEqual(['d2']);
        await subscribe(store, 's1');
        expect(await store.webhookOutbox.list({ subscriptionId: 's1' })).toEqual([]);
      },
    },
  ];
}
