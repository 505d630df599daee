/** One provider holding a resource's current version. */
export interface PlacementHolder {
  readonly provider: string;
  /** The version tag the provider reported for the write (an ETag), when it reports one. */
  readonly version?: string | undefined;
}

/**
 * Where a resource lives: written after a successful write, read on reads,
 * turned into a tombstone by a delete until every holder has confirmed it.
 */
export interface PlacementRecord {
  readonly capability: string;
  /** The resource key, e.g. `acme-uploads/reports/q1.csv` (the operation's `resource.keys`). */
  readonly key: string;
  /** Providers holding the current version, best first. Empty for a tombstone. */
  readonly holders: readonly PlacementHolder[];
  /** Identifies the write that produced this record; a later write replaces it. */
  readonly writeId: string;
  /** True after a delete: reads answer `not_found` without asking anyone, until the record is removed. */
  readonly deleted: boolean;
  /** Epoch ms. */
  readonly updatedAt: number;
}

/** A provider that missed a write (`copy`) or a delete (`delete`) of a resource, to be repaired once it is healthy. */
export interface PlacementHint {
  readonly capability: string;
  readonly key: string;
  readonly provider: string;
  readonly action: 'copy' | 'delete';
  /** The write (or delete) that left the hint; a later one replaces it. */
  readonly writeId: string;
  /** Epoch ms. */
  readonly createdAt: number;
}

/**
 * Where the hub keeps placement records and repair hints. Core's default,
 * {@link createMemoryPlacementStore}, lives in the process; `@switchyard/platform`'s
 * `createStorePlacements(store)` keeps them in the SQLite or PostgreSQL store
 * with a cache in front. Every method is safe to call concurrently.
 */
export interface PlacementStore {
  get(capability: string, key: string): Promise<PlacementRecord | undefined>;
  /**
   * The record for `key` when the store can tell without I/O (from memory or
   * its cache), wrapped so "no record" differs from "cannot tell": undefined
   * means ask `get`. Optional; it saves reads a turn of the event loop.
   */
  peek?(capability: string, key: string): { readonly record: PlacementRecord | undefined } | undefined;
  /**
   * Stores `record`, replacing the one for its key. With `ifWriteId`, only
   * when the stored record's `writeId` is that one (a later write has not
   * replaced it); resolves whether it stored the record.
   */
  put(record: PlacementRecord, ifWriteId?: string): Promise<boolean>;
  /** Removes the record for `key`; with `ifWriteId`, only when its `writeId` is that one. Resolves whether it removed one. */
  delete(capability: string, key: string, ifWriteId?: string): Promise<boolean>;
  /** Adds a hint, replacing any hint for the same capability, key and provider. */
  addHint(hint: PlacementHint): Promise<void>;
  /** Up to `limit` hints for `provider`, oldest first. */
  hints(provider: string, limit: number): Promise<PlacementHint[]>;
  /** Removes the hint for `hint`'s capability, key and provider when its `writeId` is still `hint.writeId`. */
  removeHint(hint: PlacementHint): Promise<void>;
  /** How many hints are waiting, for one provider or for all. */
  countHints(provider?: string): Promise<number>;
}

/** Options of {@link createMemoryPlacementStore}. */
export interface MemoryPlacementStoreOptions {
  /**
   * Most records kept; past it the least recently used are forgotten, and
   * reads of their keys fall back to `first-found`. Default 100 000.
   */
  readonly maxRecords?: number;
}

const DEFAULT_MAX_RECORDS = 100_000;

/** What `peek` answers for a key without a record: one shared object, so a miss allocates nothing. */
const NO_RECORD = Object.freeze({ record: undefined });

function recordKey(capability: string, key: string): string {
  return `${capability}\u0000${key}`;
}

/**
 * Placement records and hints in this process's memory: the hub's default
 * when it is given no store. Records are bounded (least recently used go
 * first); hints are kept until repaired.
 */
export function createMemoryPlacementStore(options: MemoryPlacementStoreOptions = {}): PlacementStore {
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  const records = new Map<string, PlacementRecord>();
  /** Hints by provider, then by capability and key, in insertion order (oldest first). */
  const hints = new Map<string, Map<string, PlacementHint>>();
  const touch = (capability: string, key: string): PlacementRecord | undefined => {
    const id = recordKey(capability, key);
    const record = records.get(id);
    if (record !== undefined) {
      // Map order is insertion order: moving the record to the end makes it the most recently used.
      records.delete(id);
      records.set(id, record);
    }
    return record;
  };
  return {
    get: (capability, key) => Promise.resolve(touch(capability, key)),
    peek(capability, key) {
      const record = touch(capability, key);
      return record === undefined ? NO_RECORD : { record };
    },
    put(record, ifWriteId) {
      const id = recordKey(record.capability, record.key);
      if (ifWriteId !== undefined && records.get(id)?.writeId !== ifWriteId) return Promise.resolve(false);
      records.delete(id);
      records.set(id, record);
      if (records.size > maxRecords) records.delete(records.keys().next().value!);
      return Promise.resolve(true);
    },
    delete(capability, key, ifWriteId) {
      const id = recordKey(capability, key);
      if (ifWriteId !== undefined && records.get(id)?.writeId !== ifWriteId) return Promise.resolve(false);
      return Promise.resolve(records.delete(id));
    },
    addHint(hint) {
      const byKey = hints.get(hint.provider) ?? new Map<string, PlacementHint>();
      hints.set(hint.provider, byKey);
      const id = recordKey(hint.capability, hint.key);
      byKey.delete(id);
      byKey.set(id, hint);
      return Promise.resolve();
    },
    hints(provider, limit) {
      const found: PlacementHint[] = [];
      for (const hint of hints.get(provider)?.values() ?? []) {
        if (found.length >= limit) break;
        found.push(hint);
      }
      return Promise.resolve(found);
    },
    removeHint(hint) {
      const byKey = hints.get(hint.provider);
      const id = recordKey(hint.capability, hint.key);
      if (byKey?.get(id)?.writeId === hint.writeId) byKey.delete(id);
      return Promise.resolve();
    },
    countHints(provider) {
      if (provider !== undefined) return Promise.resolve(hints.get(provider)?.size ?? 0);
      let count = 0;
      for (const byKey of hints.values()) count += byKey.size;
      return Promise.resolve(count);
    },
  };
}
