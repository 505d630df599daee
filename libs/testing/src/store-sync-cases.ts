import type { SyncBatch } from '@switchyard/platform';
import { expect } from 'vitest';
import { expectIntegrationError } from './capability-client';
import { createIntegration } from './store-credential-cases';
import type { StoreCase } from './store-suite';

const OWNER = 'worker-a';

function batch(integrationId: string, changes: Partial<SyncBatch> = {}): SyncBatch {
  return { integrationId, leaseOwner: OWNER, stream: 'issues', entity: 'issue', records: [], cursor: 'page-1', ...changes };
}

const issue = (externalId: string, title: string) => ({ externalId, data: { title, labels: ['bug'], nested: { n: 1 } } });

/** The sync cases of the store contract: leases, atomic batches with their checkpoint, pass marks and deletion, dead letters. */
export function syncStoreCases(): StoreCase[] {
  return [
    {
      title: 'sync: one lease holder per integration; it renews its own lease, others wait for release or expiry',
      run: async (store) => {
        const integration = await createIntegration(store, 'sync-1');
        const lease = await store.sync.acquireLease(integration.id, OWNER, 60_000);
        expect(lease).toMatchObject({ integrationId: integration.id, owner: OWNER });
        expect(Date.parse(lease?.expiresAt ?? '')).toBeGreaterThan(Date.now() + 50_000);
        expect(await store.sync.acquireLease(integration.id, 'worker-b', 60_000)).toBeUndefined();
        expect(await store.sync.acquireLease(integration.id, OWNER, 120_000)).toMatchObject({ owner: OWNER });
        expect(await store.sync.getLease(integration.id)).toMatchObject({ owner: OWNER });

        await store.sync.releaseLease(integration.id, 'worker-b');
        expect(await store.sync.getLease(integration.id), 'another owner cannot release it').toMatchObject({ owner: OWNER });
        await store.sync.releaseLease(integration.id, OWNER);
        expect(await store.sync.getLease(integration.id)).toBeUndefined();
        expect(await store.sync.acquireLease(integration.id, 'worker-b', 1)).toMatchObject({ owner: 'worker-b' });
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await store.sync.getLease(integration.id), 'an expired lease is nobody’s').toBeUndefined();
        expect(await store.sync.acquireLease(integration.id, OWNER, 60_000)).toMatchObject({ owner: OWNER });

        await expectIntegrationError(store.sync.acquireLease('no-such-integration', OWNER, 1000), 'not_found', 'an unknown integration');
        await expectIntegrationError(store.sync.acquireLease(integration.id, OWNER, 0), 'validation', 'a ttl of 0');
        await expectIntegrationError(store.sync.acquireLease(integration.id, '', 1000), 'validation', 'an empty owner');
      },
    },
    {
      title: 'sync: a batch writes its records and checkpoint together, counting created, updated, unchanged, deleted and dead letters',
      run: async (store) => {
        const integration = await createIntegration(store, 'sync-1');
        await store.sync.acquireLease(integration.id, OWNER, 60_000);
        const first = await store.sync.applyBatch(
          batch(integration.id, { records: [issue('1', 'one'), issue('2', 'two'), issue('3', 'three')] }),
        );
        expect(first).toEqual({ created: 3, updated: 0, unchanged: 0, deleted: 0, deadLettered: 0 });
        expect((await store.checkpoints.get(integration.id, 'issues'))?.cursor).toBe('page-1');
        const stored = await store.records.get(integration.id, 'issue', '2');
        expect(stored.data).toEqual({ title: 'two', labels: ['bug'], nested: { n: 1 } });

        const second = await store.sync.applyBatch(
          batch(integration.id, {
            records: [issue('1', 'one'), issue('2', 'two, renamed'), issue('4', 'four')],
            deletes: ['3', 'never-stored'],
            deadLetters: [
              { externalId: '5', reason: 'title: required', data: { id: 5 } },
              { reason: 'no id', data: null },
            ],
            cursor: 'page-2',
          }),
        );
        expect(second).toEqual({ created: 1, updated: 1, unchanged: 1, deleted: 1, deadLettered: 2 });
        expect((await store.records.get(integration.id, 'issue', '1')).updatedAt, 'unchanged content is not rewritten').toBe(
          (await store.records.get(integration.id, 'issue', '1')).createdAt,
        );
        expect((await store.records.get(integration.id, 'issue', '2')).data).toMatchObject({ title: 'two, renamed' });
        await expectIntegrationError(store.records.get(integration.id, 'issue', '3'), 'not_found', 'a deleted record');
        expect((await store.checkpoints.get(integration.id, 'issues'))?.cursor).toBe('page-2');
        expect(await store.sync.countRecords(integration.id)).toBe(3);
        expect(await store.sync.countRecords(integration.id, 'issue')).toBe(3);
        expect(await store.sync.countRecords(integration.id, 'comment')).toBe(0);

        const letters = await store.sync.listDeadLetters(integration.id);
        expect(letters.map((letter) => [letter.entity, letter.externalId, letter.reason, letter.data])).toEqual([
          ['issue', '5', 'title: required', { id: 5 }],
          ['issue', undefined, 'no id', null],
        ]);
        expect(letters[1]?.id).toBeGreaterThan(letters[0]?.id ?? Infinity);
        expect(await store.sync.listDeadLetters(integration.id, { limit: 1 })).toHaveLength(1);
      },
    },
    {
      title:
        'sync: only the lease owner writes (an expired lease nobody took is still its own); a refused batch writes nothing, not even its checkpoint',
      run: async (store) => {
        const integration = await createIntegration(store, 'sync-1');
        await expectIntegrationError(
          store.sync.applyBatch(batch(integration.id, { records: [issue('1', 'one')] })),
          'conflict',
          'without a lease',
        );
        await store.sync.acquireLease(integration.id, OWNER, 1);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(
          await store.sync.applyBatch(batch(integration.id, { records: [issue('0', 'zero')], cursor: 'expired but ours' })),
          'a lease that expired but that nobody took still admits its owner',
        ).toMatchObject({ created: 1 });
        await store.sync.acquireLease(integration.id, 'worker-b', 60_000);
        await expectIntegrationError(
          store.sync.applyBatch(batch(integration.id, { records: [issue('1', 'one')], cursor: 'stale' })),
          'conflict',
          'a batch of a run that lost its lease',
        );
        await expectIntegrationError(
          store.sync.endPass({
            integrationId: integration.id,
            leaseOwner: OWNER,
            stream: 'issues',
            entity: 'issue',
            pass: 'p',
            cursor: 'x',
          }),
          'conflict',
          'ending a pass without the lease',
        );
        expect(await store.sync.countRecords(integration.id)).toBe(1);
        expect((await store.checkpoints.get(integration.id, 'issues'))?.cursor).toBe('expired but ours');
        await expectIntegrationError(store.sync.applyBatch(batch('no-such-integration')), 'not_found', 'an unknown integration');
      },
    },
    {
      title: 'sync: a full pass deletes the records it did not see (unchanged ones count as seen), and nothing of other entities',
      run: async (store) => {
        const integration = await createIntegration(store, 'sync-1');
        await store.sync.acquireLease(integration.id, OWNER, 60_000);
        await store.sync.applyBatch(
          batch(integration.id, { records: [issue('1', 'one'), issue('2', 'two'), issue('3', 'three')], pass: 'pass-1' }),
        );
        await store.sync.applyBatch(batch(integration.id, { entity: 'comment', stream: 'comments', records: [issue('c1', 'a comment')] }));
        expect(
          await store.sync.endPass({
            integrationId: integration.id,
            leaseOwner: OWNER,
            stream: 'issues',
            entity: 'issue',
            pass: 'pass-1',
            cursor: 'done-1',
          }),
        ).toEqual({ deleted: 0 });

        await store.sync.applyBatch(batch(integration.id, { records: [issue('1', 'one')], pass: 'pass-2', cursor: 'p2-1' }));
        await store.sync.applyBatch(batch(integration.id, { records: [issue('3', 'three, edited')], pass: 'pass-2', cursor: 'p2-2' }));
        expect(
          await store.sync.endPass({
            integrationId: integration.id,
            leaseOwner: OWNER,
            stream: 'issues',
            entity: 'issue',
            pass: 'pass-2',
            cursor: 'done-2',
          }),
        ).toEqual({ deleted: 1 });
        expect((await store.records.list({ integrationId: integration.id, entity: 'issue' })).map((record) => record.externalId)).toEqual([
          '1',
          '3',
        ]);
        expect(await store.sync.countRecords(integration.id, 'comment')).toBe(1);
        expect((await store.checkpoints.get(integration.id, 'issues'))?.cursor).toBe('done-2');
      },
    },
    {
      title: 'sync: refuses bad batches before writing anything',
      run: async (store) => {
        const integration = await createIntegration(store, 'sync-1');
        await store.sync.acquireLease(integration.id, OWNER, 60_000);
        const refused = async (changes: Record<string, unknown>, what: string) =>
          expectIntegrationError(store.sync.applyBatch({ ...batch(integration.id), ...changes }), 'validation', what);
        await refused({ records: [issue('1', 'a'), issue('1', 'b')] }, 'an external id twice');
        await refused({ records: [{ externalId: '1', data: { when: new Date() } }] }, 'a Date in the data');
        await refused({ records: [{ externalId: '1', data: { n: Number.NaN } }] }, 'NaN in the data');
        await refused({ records: [{ externalId: '1', data: [1, 2] }] }, 'an array as the data');
        await refused({ records: [{ externalId: '', data: {} }] }, 'an empty external id');
        await refused({ cursor: 'x'.repeat(65_537) }, 'a cursor over 64 KiB');
        await refused({ deadLetters: [{ reason: '', data: {} }] }, 'a dead letter without a reason');
        expect(await store.sync.countRecords(integration.id)).toBe(0);
        expect(await store.checkpoints.get(integration.id, 'issues')).toBeUndefined();
      },
    },
    {
      title: 'sync: deleting the integration drops its lease and dead letters',
      run: async (store) => {
        const integration = await createIntegration(store, 'sync-1');
        await store.sync.acquireLease(integration.id, OWNER, 60_000);
        await store.sync.applyBatch(batch(integration.id, { records: [issue('1', 'one')], deadLetters: [{ reason: 'bad', data: {} }] }));
        await store.integrations.delete(integration.id);
        const again = await store.integrations.create({ id: integration.id, providerId: 'github', name: 'again' });
        expect(await store.sync.getLease(again.id)).toBeUndefined();
        expect(await store.sync.listDeadLetters(again.id)).toEqual([]);
        expect(await store.sync.countRecords(again.id)).toBe(0);
      },
    },
  ];
}
