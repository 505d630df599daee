import type { PlacementRecord, PlacementStore } from '@switchyard/core';
import type { Store } from '../store/store';

/** Options of {@link createStorePlacements}. */
export interface StorePlacementsOptions {
  /** Most records (or remembered absences) cached; past it the least recently used go first. Default: 10 000. */
  readonly cacheSize?: number | undefined;
  /**
   * How long a cached record (or absence) is trusted, in milliseconds; older
   * entries are read again from the store, so writes by other processes
   * sharing it are seen within this time. `0` disables the cache. Default: 5 000.
   */
  readonly cacheTtlMs?: number | undefined;
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: (() => number) | undefined;
}

const DEFAULT_CACHE_SIZE = 10_000;
const DEFAULT_CACHE_TTL_MS = 5_000;

/** A cached answer of the store: the record, or `undefined` for "no record". */
interface CacheEntry {
  readonly record: PlacementRecord | undefined;
  readonly cachedAt: number;
}

/** The calls in flight for one key, and a counter every write moves at its start and end. */
interface KeyActivity {
  calls: number;
  generation: number;
}

const cacheKey = (capability: string, key: string): string => `${capability}\u0000${key}`;

/** Cached records are handed to every reader, so none of them can change what the others see. */
function frozen(record: PlacementRecord | undefined): PlacementRecord | undefined {
  if (record === undefined) return undefined;
  return Object.freeze({ ...record, holders: Object.freeze(record.holders.map((holder) => Object.freeze({ ...holder }))) });
}

/**
 * The hub's `PlacementStore` kept in a platform {@link Store} (memory, SQLite
 * or PostgreSQL), with a least-recently-used cache of records in front:
 * reads answered from the cache never reach the store, and writes go
 * through to it, updating the cache only when the store stored them. Hints
 * are not cached. Give the hub one per process; processes sharing a
 * database see each other's writes once their cached entries expire
 * (`cacheTtlMs`), and conditional writes are decided by the store, never by
 * the cache.
 *
 * @example
 * ```ts
 * const placements = createStorePlacements(createSqliteStore(), { cacheTtlMs: 2_000 });
 * const record = await placements.get('storage', 'acme-uploads/reports/q1.csv'); // then cached for 2 s
 * ```
 */
export function createStorePlacements(store: Store, options: StorePlacementsOptions = {}): PlacementStore {
  const placements = store.placements;
  const cacheSize = Math.max(0, options.cacheSize ?? DEFAULT_CACHE_SIZE);
  const cacheTtlMs = Math.max(0, options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS);
  const now = options.now ?? Date.now;
  const cacheEnabled = cacheSize > 0 && cacheTtlMs > 0;
  /** Map order is insertion order: the first entry is the least recently used. */
  const cache = new Map<string, CacheEntry>();
  const activity = new Map<string, KeyActivity>();

  const remember = (id: string, record: PlacementRecord | undefined): void => {
    cache.delete(id);
    cache.set(id, { record, cachedAt: now() });
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
  };

  /**
   * Runs `body` while counting it as in flight for `id`, so the generation a
   * call saw at its start can be compared at its end: a read fills the cache
   * only when no write started or ended meanwhile, and a write updates it only
   * when no other write did — otherwise the entry is dropped and read again.
   */
  async function tracked<Result>(id: string, body: (activity: KeyActivity) => Promise<Result>): Promise<Result> {
    const current = activity.get(id) ?? { calls: 0, generation: 0 };
    activity.set(id, current);
    current.calls += 1;
    try {
      return await body(current);
    } finally {
      current.calls -= 1;
      if (current.calls === 0) activity.delete(id);
    }
  }

  async function write(id: string, perform: () => Promise<boolean>, stored: PlacementRecord | undefined): Promise<boolean> {
    if (!cacheEnabled) return perform();
    return tracked(id, async (current) => {
      current.generation += 1;
      const started = current.generation;
      let done = false;
      try {
        done = await perform();
      } finally {
        const alone = current.generation === started;
        current.generation += 1;
        // A refused conditional write means the cache may be stale; a failed or overlapping one leaves it unknown.
        if (done && alone) remember(id, frozen(stored));
        else cache.delete(id);
      }
      return done;
    });
  }

  /** The cached entry for `id` while it is fresh (made the most recently used), else undefined. */
  const fresh = (id: string): CacheEntry | undefined => {
    const cached = cache.get(id);
    if (cached === undefined || now() - cached.cachedAt >= cacheTtlMs) return undefined;
    cache.delete(id);
    cache.set(id, cached);
    return cached;
  };

  return {
    peek(capability, key) {
      if (!cacheEnabled) return undefined;
      const cached = fresh(cacheKey(capability, key));
      return cached === undefined ? undefined : { record: cached.record };
    },
    async get(capability, key) {
      if (!cacheEnabled) return placements.get(capability, key);
      const id = cacheKey(capability, key);
      const cached = fresh(id);
      if (cached !== undefined) return cached.record;
      cache.delete(id);
      return tracked(id, async (current) => {
        const generation = current.generation;
        const record = frozen(await placements.get(capability, key));
        if (current.generation === generation) remember(id, record);
        return record;
      });
    },
    put: (record, ifWriteId) => write(cacheKey(record.capability, record.key), () => placements.put(record, ifWriteId), record),
    delete: (capability, key, ifWriteId) =>
      write(cacheKey(capability, key), () => placements.delete(capability, key, ifWriteId), undefined),
    addHint: (hint) => placements.addHint(hint),
    hints: (provider, limit) => placements.hints(provider, limit),
    removeHint: (hint) => placements.removeHint(hint),
    countHints: (provider) => placements.countHints(provider),
  };
}
