import { describe, expect, it } from 'vitest';
import { createMemoryPlacementStore, type PlacementHint, type PlacementRecord } from './placement-store';

function record(key: string, writeId: string, holders: readonly string[] = ['a']): PlacementRecord {
  return { capability: 'storage', key, holders: holders.map((provider) => ({ provider })), writeId, deleted: false, updatedAt: 1 };
}

function hint(key: string, provider: string, writeId: string, action: PlacementHint['action'] = 'copy'): PlacementHint {
  return { capability: 'storage', key, provider, action, writeId, createdAt: 1 };
}

describe('the memory placement store', () => {
  it('forgets the least recently used record past maxRecords; a read counts as a use', async () => {
    const store = createMemoryPlacementStore({ maxRecords: 2 });
    await store.put(record('k1', 'w1'));
    await store.put(record('k2', 'w2'));
    expect(await store.get('storage', 'k1')).toMatchObject({ writeId: 'w1' });

    await store.put(record('k3', 'w3'));

    expect(await store.get('storage', 'k2')).toBeUndefined();
    expect(await store.get('storage', 'k1')).toMatchObject({ writeId: 'w1' });
    expect(await store.get('storage', 'k3')).toMatchObject({ writeId: 'w3' });
    // peek answers from memory, and also keeps a record in use.
    expect(store.peek?.('storage', 'k1')).toEqual({ record: expect.objectContaining({ writeId: 'w1' }) as unknown });
    await store.put(record('k4', 'w4'));
    expect(store.peek?.('storage', 'k3')).toEqual({ record: undefined });
    expect(store.peek?.('storage', 'k1')?.record?.writeId).toBe('w1');
  });

  it('keeps records of capabilities apart', async () => {
    const store = createMemoryPlacementStore();
    await store.put(record('same-key', 'w1'));
    await store.put({ ...record('same-key', 'w2'), capability: 'functions' });
    expect((await store.get('storage', 'same-key'))?.writeId).toBe('w1');
    expect((await store.get('functions', 'same-key'))?.writeId).toBe('w2');
    expect(await store.delete('functions', 'same-key')).toBe(true);
    expect((await store.get('storage', 'same-key'))?.writeId).toBe('w1');
  });

  it('puts and deletes conditionally on the write that made the stored record', async () => {
    const store = createMemoryPlacementStore();
    expect(await store.put(record('k', 'w1'), 'w0')).toBe(false);
    expect(await store.get('storage', 'k')).toBeUndefined();
    expect(await store.put(record('k', 'w1'))).toBe(true);

    expect(await store.put(record('k', 'w1', ['a', 'b']), 'w1')).toBe(true);
    expect((await store.get('storage', 'k'))?.holders).toEqual([{ provider: 'a' }, { provider: 'b' }]);
    expect(await store.put(record('k', 'w3', ['c']), 'w2')).toBe(false);
    expect((await store.get('storage', 'k'))?.writeId).toBe('w1');

    expect(await store.delete('storage', 'k', 'w2')).toBe(false);
    expect(await store.get('storage', 'k')).toBeDefined();
    expect(await store.delete('storage', 'k', 'w1')).toBe(true);
    expect(await store.get('storage', 'k')).toBeUndefined();
    expect(await store.delete('storage', 'k')).toBe(false);
  });

  it('keeps one hint per key and provider, hands them out oldest first, and removes one only for its write', async () => {
    const store = createMemoryPlacementStore();
    await store.addHint(hint('k1', 'c', 'w1'));
    await store.addHint(hint('k2', 'c', 'w2'));
    await store.addHint(hint('k3', 'c', 'w3'));
    await store.addHint(hint('k1', 'b', 'w1'));
    expect(await store.countHints('c')).toBe(3);
    expect(await store.countHints()).toBe(4);
    expect(await store.countHints('a')).toBe(0);

    // A later write's hint for the same key and provider replaces the earlier one and becomes the newest.
    await store.addHint(hint('k1', 'c', 'w4', 'delete'));
    expect(await store.countHints('c')).toBe(3);
    expect((await store.hints('c', 10)).map((each) => [each.key, each.writeId, each.action])).toEqual([
      ['k2', 'w2', 'copy'],
      ['k3', 'w3', 'copy'],
      ['k1', 'w4', 'delete'],
    ]);
    expect((await store.hints('c', 2)).map((each) => each.key)).toEqual(['k2', 'k3']);
    expect(await store.hints('nobody', 10)).toEqual([]);

    await store.removeHint(hint('k1', 'c', 'w1'));
    expect(await store.countHints('c')).toBe(3);
    await store.removeHint(hint('k1', 'c', 'w4'));
    expect((await store.hints('c', 10)).map((each) => each.key)).toEqual(['k2', 'k3']);
    expect((await store.hints('b', 10)).map((each) => each.key)).toEqual(['k1']);
  });
});
