import type { PlacementRecord, PlacementStore } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store';
import { createStorePlacements, type StorePlacementsOptions } from './store-placements';

const KEY = 'acme-uploads/reports/q1.csv';

function record(writeId: string, providers: string[] = ['s3'], key = KEY): PlacementRecord {
  return {
    capability: 'storage',
    key,
    holders: providers.map((provider) => ({ provider, version: `"${writeId}"` })),
    writeId,
    deleted: false,
    updatedAt: 1_767_225_600_000,
  };
}

/**
 * A memory store whose `placements.get` is counted and can be held at a gate;
 * `direct` writes to the same store the way another process would, past the cache.
 */
function setUp(options: Omit<StorePlacementsOptions, 'now'> = {}) {
  const store = createMemoryStore();
  const direct = store.placements;
  const clock = { value: 1_000_000 };
  const counts = { get: 0 };
  let gate: Promise<void> | undefined;
  const placements: PlacementStore = {
    ...direct,
    get: async (capability, key) => {
      counts.get += 1;
      const found = await direct.get(capability, key);
      await gate;
      return found;
    },
  };
  const cached = createStorePlacements({ ...store, placements }, { ...options, now: () => clock.value });
  const hold = (): (() => void) => {
    let release: () => void = () => undefined;
    gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      gate = undefined;
      release();
    };
  };
  return { cached, direct, clock, counts, hold };
}

describe('createStorePlacements', () => {
  it('answers repeated reads from the cache, including "no record", without reaching the store', async () => {
    const { cached, direct, counts } = setUp();
    expect(await cached.put(record('w1'))).toBe(true);
    expect(await direct.get('storage', KEY), 'written through to the store').toEqual(record('w1'));
    expect(await cached.get('storage', KEY)).toEqual(record('w1'));
    expect(await cached.get('storage', KEY)).toEqual(record('w1'));
    expect(counts.get, 'a record it wrote is cached').toBe(0);

    expect(await cached.get('storage', 'acme-uploads/missing.csv')).toBeUndefined();
    expect(await cached.get('storage', 'acme-uploads/missing.csv')).toBeUndefined();
    expect(counts.get, 'an absence is remembered too').toBe(1);
  });

  it('answers peek from a fresh cache entry only, so the hub can skip a turn of the event loop', async () => {
    const { cached, clock, counts } = setUp({ cacheTtlMs: 1_000 });
    expect(cached.peek?.('storage', KEY), 'nothing cached yet: ask get').toBeUndefined();
    await cached.put(record('w1'));
    expect(cached.peek?.('storage', KEY)).toEqual({ record: record('w1') });
    await cached.get('storage', 'acme-uploads/missing.csv');
    expect(cached.peek?.('storage', 'acme-uploads/missing.csv'), 'a cached absence').toEqual({ record: undefined });
    clock.value += 1_000;
    expect(cached.peek?.('storage', KEY), 'expired: ask get').toBeUndefined();
    expect(counts.get).toBe(1);
  });

  it('keeps its cached copy apart from the record the caller passed', async () => {
    const { cached } = setUp();
    const written = record('w1', ['s3', 'gcs']);
    await cached.put(written);
    (written.holders as { provider: string }[]).pop();
    expect((await cached.get('storage', KEY))?.holders.map((holder) => holder.provider)).toEqual(['s3', 'gcs']);
  });

  it('reads an entry again once it is older than cacheTtlMs, and sees what another process wrote', async () => {
    const { cached, direct, clock, counts } = setUp({ cacheTtlMs: 5_000 });
    await cached.put(record('w1'));
    await direct.put(record('w2', ['gcs']));
    clock.value += 4_999;
    expect((await cached.get('storage', KEY))?.writeId, 'still fresh').toBe('w1');
    expect(counts.get).toBe(0);
    clock.value += 1;
    expect((await cached.get('storage', KEY))?.writeId, 'expired: read again').toBe('w2');
    expect(counts.get).toBe(1);
    expect((await cached.get('storage', KEY))?.writeId).toBe('w2');
    expect(counts.get, 'and cached again').toBe(1);
  });

  it('keeps at most cacheSize entries, forgetting the least recently used', async () => {
    const { cached, counts } = setUp({ cacheSize: 2 });
    for (const key of ['a', 'b', 'a', 'c']) await cached.get('storage', key);
    expect(counts.get, 'a, b and c are read once each; the second a is a hit').toBe(3);
    await cached.get('storage', 'a');
    expect(counts.get, 'a was used after b, so b went when c came').toBe(3);
    await cached.get('storage', 'b');
    expect(counts.get).toBe(4);
  });

  it('stays consistent when a conditional write is refused: the next read asks the store', async () => {
    const { cached, direct, counts } = setUp();
    await cached.put(record('w1'));
    await direct.put(record('w2', ['gcs']));
    expect(await cached.put(record('w3'), 'w1'), 'another process replaced w1').toBe(false);
    expect(await cached.get('storage', KEY)).toEqual(record('w2', ['gcs']));
    expect(counts.get).toBe(1);
    expect(await cached.delete('storage', KEY, 'w1')).toBe(false);
    expect(await cached.get('storage', KEY)).toEqual(record('w2', ['gcs']));
    expect(counts.get).toBe(2);

    expect(await cached.put(record('w3', ['s3', 'gcs']), 'w2')).toBe(true);
    expect(await cached.get('storage', KEY)).toEqual(record('w3', ['s3', 'gcs']));
    expect(await cached.delete('storage', KEY, 'w3')).toBe(true);
    expect(await cached.get('storage', KEY)).toBeUndefined();
    expect(await direct.get('storage', KEY)).toBeUndefined();
    expect(counts.get, 'successful writes update the cache').toBe(2);
  });

  it('does not cache what a read found when a write finished while the read was in flight', async () => {
    const { cached, counts, hold } = setUp();
    await cached.put(record('w1'));
    const release = hold();
    // Expire w1 by a refused write, so the next read goes to the store and stops at the gate.
    expect(await cached.put(record('never'), 'not-w1')).toBe(false);
    const reading = cached.get('storage', KEY);
    expect(await cached.put(record('w2'), 'w1')).toBe(true);
    release();
    expect((await reading)?.writeId, 'the read saw the store before the write').toBe('w1');
    expect((await cached.get('storage', KEY))?.writeId, 'the cache holds the write, not the older read').toBe('w2');
    expect(counts.get).toBe(1);
  });

  it('with cacheTtlMs 0, reads every time from the store', async () => {
    const { cached, counts } = setUp({ cacheTtlMs: 0 });
    await cached.put(record('w1'));
    await cached.get('storage', KEY);
    await cached.get('storage', KEY);
    expect(counts.get).toBe(2);
  });

  it('passes hints straight to the store', async () => {
    const { cached, direct } = setUp();
    const hint = { capability: 'storage', key: KEY, provider: 'gcs', action: 'copy', writeId: 'w1', createdAt: 5 } as const;
    await cached.addHint(hint);
    expect(await direct.hints('gcs', 10)).toEqual([hint]);
    expect(await cached.hints('gcs', 10)).toEqual([hint]);
    expect(await cached.countHints()).toBe(1);
    await cached.removeHint(hint);
    expect(await direct.countHints('gcs')).toBe(0);
  });
});
