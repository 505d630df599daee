import type { JsonObject, JsonValue } from './store-records';

/** One record of a {@link SyncBatch}. */
export interface SyncRecordWrite {
  readonly externalId: string;
  readonly data: JsonObject;
}

/** A record a sync could not store (it failed its mapping), kept with the reason. */
export interface SyncDeadLetterWrite {
  /** The provider's id for the record, when it has one. */
  readonly externalId?: string | undefined;
  /** Why: the mapping's field errors, or the source's complaint. At most 4 096 characters. */
  readonly reason: string;
  /** The record as the source gave it. */
  readonly data: JsonValue;
}

/** What the sync repository checks before it writes anything: the run holds the integration's lease. */
export interface SyncLeaseHolder {
  readonly integrationId: string;
  /** Who holds the lease, as given to {@link SyncRepository.acquireLease}. */
  readonly leaseOwner: string;
}

/**
 * One page of a sync: records to store, ids to delete, records that failed,
 * and the stream's checkpoint after them, written in one transaction.
 */
export interface SyncBatch extends SyncLeaseHolder {
  readonly stream: string;
  readonly entity: string;
  /** At most 10 000; an external id at most once. */
  readonly records: readonly SyncRecordWrite[];
  /** External ids of the entity to delete (ids that are not stored are ignored). Default: none. */
  readonly deletes?: readonly string[] | undefined;
  /** Default: none. */
  readonly deadLetters?: readonly SyncDeadLetterWrite[] | undefined;
  /**
   * A full pass's id: every record of the batch, written or unchanged, is
   * marked seen by it, so {@link SyncRepository.endPass} can delete those the
   * pass never saw. Default: none (an incremental batch marks nothing).
   */
  readonly pass?: string | undefined;
  /** The stream's checkpoint once the batch is stored; opaque to the store, at most 65 536 characters. */
  readonly cursor: string;
}

/** What {@link SyncRepository.applyBatch} did. */
export interface SyncBatchOutcome {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deleted: number;
  readonly deadLettered: number;
}

/** The end of a full pass: records of the entity the pass did not see are deleted, with the checkpoint written. */
export interface SyncPassEnd extends SyncLeaseHolder {
  readonly stream: string;
  readonly entity: string;
  readonly pass: string;
  readonly cursor: string;
}

/** Who holds an integration's sync lease, and until when. */
export interface SyncLease {
  readonly integrationId: string;
  readonly owner: string;
  /** ISO 8601 timestamp; after it, another owner may take the lease. */
  readonly expiresAt: string;
}

/** A record a sync could not store. */
export interface SyncDeadLetter {
  /** Increases with every dead letter. */
  readonly id: number;
  readonly integrationId: string;
  readonly entity: string;
  readonly externalId: string | undefined;
  readonly reason: string;
  readonly data: JsonValue;
  /** ISO 8601 timestamp. */
  readonly createdAt: string;
}

/**
 * What a sync writes, so that a crash at any point loses and duplicates
 * nothing: each batch of records goes in with its checkpoint in one
 * transaction, and only the holder of an integration's lease may write (a
 * process that lost its lease gets `conflict` and stops). Hosts use it
 * through `createSyncService`.
 */
export interface SyncRepository {
  /**
   * Takes the integration's lease for `ttlMs` when it is free, expired or
   * already `owner`'s (then it is extended). `undefined` when another owner
   * holds it. Throws `not_found` when the integration does not exist.
   */
  acquireLease(integrationId: string, owner: string, ttlMs: number): Promise<SyncLease | undefined>;
  /** Gives the lease up; nothing happens when `owner` does not hold it. */
  releaseLease(integrationId: string, owner: string): Promise<void>;
  /** The lease, or `undefined` when nobody holds one (or it expired). */
  getLease(integrationId: string): Promise<SyncLease | undefined>;
  /**
   * Stores a batch and its checkpoint atomically. Records with the content
   * they already have are `unchanged` and not rewritten. Throws `conflict`
   * when `leaseOwner` is not the lease's owner (another run took it, or it
   * was released), `not_found` when the integration does not exist. A lease
   * that expired but that nobody took since still admits its owner.
   */
  applyBatch(batch: SyncBatch): Promise<SyncBatchOutcome>;
  /**
   * Ends a full pass: deletes the entity's records that `pass` did not mark,
   * and writes the checkpoint, atomically. Returns how many it deleted.
   * Throws `conflict` when `leaseOwner` does not hold the lease.
   */
  endPass(end: SyncPassEnd): Promise<{ readonly deleted: number }>;
  /** An integration's dead letters, oldest first; at most `limit` (default 100, at most 1 000). */
  listDeadLetters(integrationId: string, options?: { readonly limit?: number | undefined }): Promise<SyncDeadLetter[]>;
  /** How many records of the entity are stored, e.g. to check a sync. */
  countRecords(integrationId: string, entity?: string): Promise<number>;
}
