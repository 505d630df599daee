import type { PlacementHint, PlacementRecord } from '@switchyard/core';
import { expect } from 'vitest';
import { expectIntegrationError } from './capability-client';
import type { StoreCase } from './store-suite';

const KEY = 'acme-uploads/reports/q1.csv';
/** Epoch milliseconds past 2^32, so a store that keeps them in 32 bits fails. */
const UPDATED_AT = 1_767_225_600_123;

function placement(writeId: string, changes: Partial<PlacementRecord> = {}): PlacementRecord {
  return {
    capability: 'storage',
    key: KEY,
    holders: [{ provider: 's3', version: '"9b2cf535f27731c974343645a3985328"' }, { provider: 'gcs' }],
    writeId,
    deleted: false,
    updatedAt: UPDATED_AT,
    ...changes,
  };
}

function hint(key: string, provider: string, createdAt: number, changes: Partial<PlacementHint> = {}): PlacementHint {
  return { capability: 'storage', key, provider, action: 'copy', writeId: `write-${key}`, createdAt, ...changes };
}

const keysOf = (hints: PlacementHint[]) => hints.map((found) => found.key);

/** The placement cases of the store contract: records with conditional writes, tombstones and repair hints. */
export function placementStoreCases(): StoreCase[] {
  return [
    {
      title: 'placements: stores, replaces and returns records, keeping capabilities and keys apart',
      run: async (store) => {
        const { placements } = store;
        expect(await placements.get('storage', KEY)).toBeUndefined();
        expect(await placements.put(placement('w1'))).toBe(true);
        expect(await placements.get('storage', KEY)).toEqual(placement('w1'));
        const otherKey = placement('w9', { key: 'acme-uploads/reports/q2.csv', holders: [{ provider: 'azure' }] });
        const otherCapability = placement('w8', { capability: 'functions', key: KEY, holders: [{ provider: 'lambda', version: '7' }] });
        expect(await placements.put(otherKey)).toBe(true);
        expect(await placements.put(otherCapability)).toBe(true);
        const replacement = () => placement('w2', { holders: [{ provider: 'gcs', version: '2' }], updatedAt: UPDATED_AT + 1 });
        expect(await placements.put(replacement()), 'an unconditional put replaces').toBe(true);
        expect(await placements.get('storage', KEY)).toEqual(replacement());
        expect(await placements.get('storage', otherKey.key)).toEqual(otherKey);
        expect(await placements.get('functions', KEY)).toEqual(otherCapability);
        expect(await placements.get('storage', 'acme-uploads/reports')).toBeUndefined();
        const returned = await placements.get('storage', KEY);
        (returned?.holders as { provider: string }[] | undefined)?.push({ provider: 'changed' });
        expect(await placements.get('storage', KEY), 'changing a result does not change the store').toEqual(replacement());
      },
    },
    {
      title: 'placements: writes and deletes with ifWriteId only when the stored writeId is that one',
      run: async (store) => {
        const { placements } = store;
        expect(await placements.put(placement('w1'), 'w0'), 'no record to match').toBe(false);
        expect(await placements.get('storage', KEY)).toBeUndefined();
        await placements.put(placement('w1'));
        expect(await placements.put(placement('w2'), 'w0'), 'a stale writeId').toBe(false);
        expect(await placements.get('storage', KEY)).toEqual(placement('w1'));
        expect(await placements.put(placement('w2', { holders: [{ provider: 'gcs' }] }), 'w1')).toBe(true);
        expect(await placements.get('storage', KEY)).toEqual(placement('w2', { holders: [{ provider: 'gcs' }] }));
        expect(await placements.delete('storage', KEY, 'w1'), 'delete with a stale writeId').toBe(false);
        expect((await placements.get('storage', KEY))?.writeId).toBe('w2');
        expect(await placements.delete('storage', KEY, 'w2')).toBe(true);
        expect(await placements.get('storage', KEY)).toBeUndefined();
        expect(await placements.delete('storage', KEY), 'nothing left to delete').toBe(false);
        expect(await placements.delete('storage', KEY, 'w2')).toBe(false);
        await placements.put(placement('w3'));
        expect(await placements.delete('storage', KEY), 'an unconditional delete').toBe(true);
        expect(await placements.get('storage', KEY)).toBeUndefined();
      },
    },
    {
      title: 'placements: of five conditional writers on the same writeId, exactly one wins',
      run: async (store) => {
        const { placements } = store;
        await placements.put(placement('w1'));
        const writers = ['a', 'b', 'c', 'd', 'e'];
        const results = await Promise.all(writers.map((writer) => placements.put(placement(`w-${writer}`), 'w1')));
        expect(results.filter(Boolean), 'exactly one writer stored its record').toHaveLength(1);
        const winner = writers[results.indexOf(true)];
        expect((await placements.get('storage', KEY))?.writeId).toBe(`w-${winner}`);
      },
    },
    {
      title: 'placements: a tombstone (deleted, no holders) round-trips and is replaced by the next write',
      run: async (store) => {
        const { placements } = store;
        const tombstone = placement('w-delete', { holders: [], deleted: true, updatedAt: UPDATED_AT + 5 });
        await placements.put(placement('w1'));
        expect(await placements.put(tombstone, 'w1')).toBe(true);
        expect(await placements.get('storage', KEY)).toEqual(tombstone);
        expect(await placements.put(placement('w2'), 'w-delete')).toBe(true);
        expect(await placements.get('storage', KEY)).toEqual(placement('w2'));
      },
    },
    {
      title: 'placement hints: lists a provider’s hints oldest first (ties in the order added), limited, and replaces by key',
      run: async (store) => {
        const { placements } = store;
        expect(await placements.hints('gcs', 10)).toEqual([]);
        await placements.addHint(hint('late', 'gcs', 2_000));
        await placements.addHint(hint('first', 'gcs', 1_000));
        await placements.addHint(hint('tied', 'gcs', 1_000, { action: 'delete' }));
        await placements.addHint(hint('first', 's3', 500));
        expect(await placements.hints('gcs', 10)).toEqual([
          hint('first', 'gcs', 1_000),
          hint('tied', 'gcs', 1_000, { action: 'delete' }),
          hint('late', 'gcs', 2_000),
        ]);
        expect(keysOf(await placements.hints('gcs', 2))).toEqual(['first', 'tied']);
        expect(await placements.hints('gcs', 0)).toEqual([]);
        expect(await placements.hints('s3', 10)).toEqual([hint('first', 's3', 500)]);
        expect(await placements.hints('azure', 10)).toEqual([]);
        expect(await placements.countHints('gcs')).toBe(3);
        expect(await placements.countHints('s3')).toBe(1);
        expect(await placements.countHints('azure')).toBe(0);
        expect(await placements.countHints()).toBe(4);

        const replaced = hint('first', 'gcs', 3_000, { action: 'delete', writeId: 'write-again' });
        await placements.addHint(replaced);
        expect(await placements.hints('gcs', 10), 'a later hint for the same key replaces it').toEqual([
          hint('tied', 'gcs', 1_000, { action: 'delete' }),
          hint('late', 'gcs', 2_000),
          replaced,
        ]);
        await placements.addHint(hint('early', 'gcs', 1_000));
        await placements.addHint(hint('tied', 'gcs', 1_000, { writeId: 'write-tied-2' }));
        expect(keysOf(await placements.hints('gcs', 10)), 're-adding counts as added last among equal times').toEqual([
          'early',
          'tied',
          'late',
          'first',
        ]);
        expect(await placements.countHints('gcs')).toBe(4);
        expect(await placements.countHints()).toBe(5);
      },
    },
    {
      title: 'placement hints: removeHint removes a hint only while its writeId is still the stored one',
      run: async (store) => {
        const { placements } = store;
        const first = hint('q1.csv', 'gcs', 1_000, { writeId: 'w1' });
        const other = hint('q1.csv', 's3', 1_000, { writeId: 'w1' });
        await placements.addHint(first);
        await placements.addHint(other);
        await placements.removeHint({ ...first, writeId: 'w0' });
        expect(await placements.hints('gcs', 10), 'another writeId removes nothing').toEqual([first]);
        const second = { ...first, writeId: 'w2', createdAt: 2_000 };
        await placements.addHint(second);
        await placements.removeHint(first);
        expect(await placements.hints('gcs', 10), 'a repair of w1 does not remove the hint w2 left').toEqual([second]);
        await placements.removeHint(second);
        expect(await placements.hints('gcs', 10)).toEqual([]);
        expect(await placements.hints('s3', 10), "the other provider's hint stays").toEqual([other]);
        await placements.removeHint(second);
        expect(await placements.countHints()).toBe(1);
      },
    },
    {
      title: 'placements: rejects invalid records, hints and limits as validation errors',
      run: async (store) => {
        const { placements } = store;
        await expectIntegrationError(placements.put(placement('w1', { capability: '' })), 'validation', 'an empty capability');
        await expectIntegrationError(placements.put(placement('w1', { key: '' })), 'validation', 'an empty key');
        await expectIntegrationError(placements.put(placement('')), 'validation', 'an empty writeId');
        await expectIntegrationError(placements.put(placement('w1', { updatedAt: -1 })), 'validation', 'a negative updatedAt');
        await expectIntegrationError(
          placements.addHint(hint('q1.csv', 'gcs', 1, { action: 'move' as never })),
          'validation',
          'an unknown action',
        );
        await expectIntegrationError(placements.hints('gcs', -1), 'validation', 'a negative limit');
        await expectIntegrationError(placements.hints('gcs', 1.5), 'validation', 'a fractional limit');
        expect(await placements.get('storage', KEY), 'nothing was stored').toBeUndefined();
        expect(await placements.countHints()).toBe(0);
      },
    },
  ];
}
