import type { PlacementHint, PlacementRecord, PlacementStore } from '@switchyard/core';
import { parseStoreInput, storeSchemas as schemas } from './store-input';
import { compositeKey, copy, run } from './memory-kit';

/**
 * The memory store's `placements`: every record kept (no limit, unlike
 * core's `createMemoryPlacementStore`), hints ordered by `createdAt`, then
 * by when they were added, as the SQL stores order them.
 */
export function createMemoryPlacements(): PlacementStore {
  const records = new Map<string, PlacementRecord>();
  /** By capability, key and provider; `sequence` grows with every add, for ties of `createdAt`. */
  const hints = new Map<string, { readonly hint: PlacementHint; readonly sequence: number }>();
  let sequence = 0;

  return {
    get: (capability, key) =>
      run(() => {
        parseStoreInput(schemas.placementKey, { capability, key }, 'store.placements.get');
        const found = records.get(compositeKey(capability, key));
        return found === undefined ? undefined : copy(found);
      }),
    put: (record, ifWriteId) =>
      run(() => {
        const input = parseStoreInput(schemas.placementRecord, record, 'store.placements.put');
        const expected = parseStoreInput(schemas.writeId, ifWriteId, 'store.placements.put');
        const recordKey = compositeKey(input.capability, input.key);
        if (expected !== undefined && records.get(recordKey)?.writeId !== expected) return false;
        records.set(recordKey, copy(input));
        return true;
      }),
    delete: (capability, key, ifWriteId) =>
      run(() => {
        parseStoreInput(schemas.placementKey, { capability, key }, 'store.placements.delete');
        const expected = parseStoreInput(schemas.writeId, ifWriteId, 'store.placements.delete');
        const recordKey = compositeKey(capability, key);
        if (expected !== undefined && records.get(recordKey)?.writeId !== expected) return false;
        return records.delete(recordKey);
      }),
    addHint: (hint) =>
      run(() => {
        const input = parseStoreInput(schemas.placementHint, hint, 'store.placements.addHint');
        sequence += 1;
        hints.set(compositeKey(input.capability, input.key, input.provider), { hint: copy(input), sequence });
      }),
    hints: (provider, limit) =>
      run(() => {
        parseStoreInput(schemas.hintsQuery, { provider, limit }, 'store.placements.hints');
        const matching = [...hints.values()].filter((entry) => entry.hint.provider === provider);
        matching.sort((left, right) => left.hint.createdAt - right.hint.createdAt || left.sequence - right.sequence);
        return copy(matching.slice(0, limit).map((entry) => entry.hint));
      }),
    removeHint: (hint) =>
      run(() => {
        const input = parseStoreInput(schemas.placementHintKey, hint, 'store.placements.removeHint');
        const hintKey = compositeKey(input.capability, input.key, input.provider);
        if (hints.get(hintKey)?.hint.writeId === input.writeId) hints.delete(hintKey);
      }),
    countHints: (provider) =>
      run(() => {
        parseStoreInput(schemas.hintsCountQuery, provider, 'store.placements.countHints');
        if (provider === undefined) return hints.size;
        let count = 0;
        for (const entry of hints.values()) if (entry.hint.provider === provider) count += 1;
        return count;
      }),
  };
}
