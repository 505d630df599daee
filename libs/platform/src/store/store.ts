import type { PlacementStore } from '@switchyard/core';
import type {
  ApiKeyRecord,
  ApiKeyScope,
  DataRecord,
  DefinitionRecord,
  IntegrationRecord,
  IntegrationStatus,
  JsonObject,
  RegistryEntry,
  SealedCredential,
  StoredEvent,
  SyncCheckpoint,
  UpsertOutcome,
} from './store-records';
import type { SyncRepository } from './store-sync';
import type { WebhookOutboxRepository, WebhookSubscriptionRepository } from './store-webhooks';

/** What {@link IntegrationRepository.create} takes. */
export interface NewIntegration {
  /** Default: a random UUID. */
  readonly id?: string | undefined;
  /** Default: `'default'` (the store's own), or the workspace of a `forWorkspace` view. */
  readonly workspaceId?: string | undefined;
  readonly providerId: string;
  readonly name: string;
  /** Default: `{}`. */
  readonly settings?: JsonObject | undefined;
  /** Default: `'active'`. */
  readonly status?: IntegrationStatus | undefined;
}

/** The fields {@link IntegrationRepository.update} can change; absent fields stay as they are. */
export interface IntegrationChanges {
  readonly name?: string | undefined;
  /** Replaces the settings as a whole. */
  readonly settings?: JsonObject | undefined;
  readonly status?: IntegrationStatus | undefined;
}

/** Narrows {@link IntegrationRepository.list}; absent fields match everything. */
export interface IntegrationFilter {
  readonly workspaceId?: string | undefined;
  readonly providerId?: string | undefined;
  readonly status?: IntegrationStatus | undefined;
}

/** Integrations. Deleting one deletes its credentials, data records and checkpoints. */
export interface IntegrationRepository {
  /** Throws `conflict` when the id is taken. */
  create(integration: NewIntegration): Promise<IntegrationRecord>;
  /** Throws `not_found`. */
  get(id: string): Promise<IntegrationRecord>;
  /** Oldest first (by `createdAt`, then id). */
  list(filter?: IntegrationFilter): Promise<IntegrationRecord[]>;
  /** Throws `not_found`. */
  update(id: string, changes: IntegrationChanges): Promise<IntegrationRecord>;
  /** Throws `not_found`. */
  delete(id: string): Promise<void>;
}

/** What {@link RegistryRepository.put} takes. */
export interface NewRegistryEntry {
  readonly providerId: string;
  readonly packageName: string;
  readonly version: string;
  /** Default: `{}`. */
  readonly manifest?: JsonObject | undefined;
}

/** The provider packages known to the host. */
export interface RegistryRepository {
  /** Registers a provider package, or replaces its entry (keeping `createdAt`). */
  put(entry: NewRegistryEntry): Promise<RegistryEntry>;
  /** Throws `not_found`. */
  get(providerId: string): Promise<RegistryEntry>;
  /** Ordered by provider id. */
  list(): Promise<RegistryEntry[]>;
  /** Throws `not_found`. */
  delete(providerId: string): Promise<void>;
}

/** What {@link CredentialRepository.put} takes. */
export interface CredentialWrite {
  readonly integrationId: string;
  readonly field: string;
  readonly keyId: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly authTag: string;
  /**
   * Compare-and-swap: the version the writer last read, or `0` for "must not
   * exist yet". A mismatch throws `conflict`. Default: write unconditionally.
   */
  readonly expectedVersion?: number | undefined;
}

/** Narrows {@link CredentialRepository.list}; absent fields match everything. */
export interface CredentialFilter {
  readonly integrationId?: string | undefined;
  /** Records sealed with this key, e.g. to re-seal them after a key rotation. */
  readonly keyId?: string | undefined;
}

/** Sealed credentials, versioned for compare-and-swap. */
export interface CredentialRepository {
  /** Throws `not_found`. */
  get(integrationId: string, field: string): Promise<SealedCredential>;
  /**
   * Writes a sealed record and returns it with its new version. Throws
   * `not_found` when the integration does not exist and `conflict` when
   * `expectedVersion` is given and does not match.
   */
  put(credential: CredentialWrite): Promise<SealedCredential>;
  /** Ordered by integration id, then field. */
  list(filter?: CredentialFilter): Promise<SealedCredential[]>;
  /** Throws `not_found`. */
  delete(integrationId: string, field: string): Promise<void>;
}

/** What {@link DefinitionRepository.create} takes. */
export interface NewDefinition {
  /** Default: a random UUID. */
  readonly id?: string | undefined;
  readonly name: string;
  readonly definition: JsonObject;
}

/** The fields {@link DefinitionRepository.update} can change; absent fields stay as they are. */
export interface DefinitionChanges {
  readonly name?: string | undefined;
  readonly definition?: JsonObject | undefined;
}

/** Data mappings, or mapping templates: named JSON definitions. */
export interface DefinitionRepository {
  /** Throws `conflict` when the id is taken. */
  create(definition: NewDefinition): Promise<DefinitionRecord>;
  /** Throws `not_found`. */
  get(id: string): Promise<DefinitionRecord>;
  /** Ordered by name, then id. */
  list(): Promise<DefinitionRecord[]>;
  /** Throws `not_found`. */
  update(id: string, changes: DefinitionChanges): Promise<DefinitionRecord>;
  /** Throws `not_found`. */
  delete(id: string): Promise<void>;
}

/** What {@link DataRecordRepository.upsert} takes. */
export interface DataRecordWrite {
  readonly integrationId: string;
  readonly entity: string;
  readonly externalId: string;
  readonly data: JsonObject;
}

/** What {@link DataRecordRepository.upsert} did, and the record as stored. */
export interface UpsertResult {
  readonly outcome: UpsertOutcome;
  readonly record: DataRecord;
}

/** Narrows {@link DataRecordRepository.list}. */
export interface DataRecordFilter {
  readonly integrationId: string;
  /** Default: every entity. */
  readonly entity?: string | undefined;
}

/** Records synced from providers. */
export interface DataRecordRepository {
  /**
   * Stores a record by (integration, entity, external id). Writing the same
   * content twice is `unchanged` and keeps `updatedAt`. Throws `not_found`
   * when the integration does not exist.
   */
  upsert(record: DataRecordWrite): Promise<UpsertResult>;
  /** Throws `not_found`. */
  get(integrationId: string, entity: string, externalId: string): Promise<DataRecord>;
  /** Ordered by entity, then external id. */
  list(filter: DataRecordFilter): Promise<DataRecord[]>;
  /** Throws `not_found`. */
  delete(integrationId: string, entity: string, externalId: string): Promise<void>;
}

/** What {@link CheckpointRepository.put} takes. */
export interface CheckpointWrite {
  readonly integrationId: string;
  readonly stream: string;
  readonly cursor: string;
}

/** Sync checkpoints: one cursor per (integration, stream). */
export interface CheckpointRepository {
  /** The checkpoint, or `undefined` when the stream has never been synced. */
  get(integrationId: string, stream: string): Promise<SyncCheckpoint | undefined>;
  /** Sets (or overwrites) the cursor. Throws `not_found` when the integration does not exist. */
  put(checkpoint: CheckpointWrite): Promise<SyncCheckpoint>;
  /** An integration's checkpoints, ordered by stream. */
  list(integrationId: string): Promise<SyncCheckpoint[]>;
  /** Throws `not_found`. */
  delete(integrationId: string, stream: string): Promise<void>;
}

/** What {@link WebhookDeliveryRepository.record} takes. */
export interface WebhookDelivery {
  readonly providerId: string;
  /** The provider's delivery id (e.g. GitHub's `X-GitHub-Delivery`); unique per provider. */
  readonly deliveryId: string;
  /** Default: none. */
  readonly integrationId?: string | undefined;
}

/** Webhook deliveries seen, for dedupe. */
export interface WebhookDeliveryRepository {
  /** Records a delivery: `true` the first time, `false` when this provider's delivery id was already seen. */
  record(delivery: WebhookDelivery): Promise<boolean>;
  /** Whether this provider's delivery id was seen. */
  has(providerId: string, deliveryId: string): Promise<boolean>;
}

/** What {@link EventRepository.append} takes. */
export interface NewEvent {
  readonly type: string;
  /** Default: `'default'`, or the workspace of a `forWorkspace` view. */
  readonly workspaceId?: string | undefined;
  /** Default: none. */
  readonly integrationId?: string | undefined;
  /** Default: `{}`. */
  readonly payload?: JsonObject | undefined;
}

/** Narrows {@link EventRepository.listRecent}. */
export interface RecentEventsQuery {
  /** Default: 50; at most 1 000. */
  readonly limit?: number | undefined;
  /** Default: every type. */
  readonly type?: string | undefined;
  /** Default: every integration. */
  readonly integrationId?: string | undefined;
  /** Default: every workspace. */
  readonly workspaceId?: string | undefined;
  /** Only events that occurred at or after this ISO 8601 time (inclusive). Default: no lower bound. */
  readonly since?: string | undefined;
  /** Only events that occurred before this ISO 8601 time (exclusive). Default: no upper bound. */
  readonly until?: string | undefined;
}

/** What {@link EventRepository.prune} deletes. */
export interface EventPruneOptions {
  /** Deletes events that occurred before this ISO 8601 time (exclusive: an event at exactly this time stays). */
  readonly olderThan: string;
  /** Only this workspace's events. Default: every workspace (a `forWorkspace` view always passes its own). */
  readonly workspaceId?: string | undefined;
}

/** An append-only event log, pruned by age (see `createEventLog` for retention). */
export interface EventRepository {
  append(event: NewEvent): Promise<StoredEvent>;
  /** Newest first. */
  listRecent(query?: RecentEventsQuery): Promise<StoredEvent[]>;
  /** Deletes the events that occurred before `olderThan` and returns how many it deleted. */
  prune(options: EventPruneOptions): Promise<number>;
}

/** What {@link ApiKeyRepository.create} takes (the caller made the key and hashed it). */
export interface NewApiKey {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  /** At least one; duplicates are dropped. */
  readonly scopes: readonly ApiKeyScope[];
  /** SHA-256 (hex, 64 characters) of the key. */
  readonly secretHash: string;
  /** Default: never expires. */
  readonly expiresAt?: string | undefined;
}

/** The fields {@link ApiKeyRepository.update} can change; absent fields stay as they are, `null` clears. */
export interface ApiKeyChanges {
  readonly name?: string | undefined;
  readonly scopes?: readonly ApiKeyScope[] | undefined;
  readonly expiresAt?: string | null | undefined;
  readonly revokedAt?: string | null | undefined;
  readonly lastUsedAt?: string | undefined;
}

/** Narrows {@link ApiKeyRepository.list}; absent fields match everything. */
export interface ApiKeyFilter {
  readonly workspaceId?: string | undefined;
}

/** API keys, stored hashed. Hosts use them through `createApiKeys(store)`, which makes, checks and rotates keys. */
export interface ApiKeyRepository {
  /** Throws `conflict` when the id is taken. */
  create(key: NewApiKey): Promise<ApiKeyRecord>;
  /** Throws `not_found`. */
  get(id: string): Promise<ApiKeyRecord>;
  /** Oldest first (by `createdAt`, then id). */
  list(filter?: ApiKeyFilter): Promise<ApiKeyRecord[]>;
  /** Throws `not_found`. */
  update(id: string, changes: ApiKeyChanges): Promise<ApiKeyRecord>;
  /** Throws `not_found`. */
  delete(id: string): Promise<void>;
}

/**
 * Everything Switchyard persists, grouped by concept. Every method validates
 * its input and fails with an `IntegrationError` of kind `validation`,
 * `not_found` or `conflict`. Implementations: `createMemoryStore()` here,
 * `@switchyard/store-sqlite` and `@switchyard/store-postgres`; all pass the
 * `testStore` contract suite of `@switchyard/testing`.
 */
export interface Store {
  readonly integrations: IntegrationRepository;
  readonly registry: RegistryRepository;
  readonly credentials: CredentialRepository;
  readonly mappings: DefinitionRepository;
  readonly mappingTemplates: DefinitionRepository;
  readonly records: DataRecordRepository;
  readonly checkpoints: CheckpointRepository;
  /** What a sync writes: batches with their checkpoints in one transaction, under a per-integration lease (see `createSyncService`). */
  readonly sync: SyncRepository;
  readonly webhookDeliveries: WebhookDeliveryRepository;
  readonly events: EventRepository;
  /**
   * Where the hub's resources live (placement records) and which providers
   * missed a write or delete (repair hints), with the semantics of core's
   * `PlacementStore`: conditional writes by `writeId` are atomic, so several
   * processes may share them. Records are kept until deleted. Hosts usually
   * reach it through `createStorePlacements(store)`, which caches records.
   */
  readonly placements: PlacementStore;
  /** API keys, hashed (see `createApiKeys`). */
  readonly apiKeys: ApiKeyRepository;
  /** Outbound webhook subscriptions, with their signing secrets (see `createWebhookDispatcher`). */
  readonly webhookSubscriptions: WebhookSubscriptionRepository;
  /** The outbound webhook queue and delivery log (see `createWebhookDispatcher`). */
  readonly webhookOutbox: WebhookOutboxRepository;
  /**
   * This store as one workspace sees it: integrations, their credentials,
   * synced records and checkpoints, events, API keys and outbound webhooks
   * of other workspaces are `not_found` or absent from lists, and what is
   * created belongs to `workspaceId`. The provider registry, mappings,
   * inbound delivery ids and placements stay shared. On PostgreSQL every
   * query of the view also runs under row-level security keyed by the
   * workspace. Closing a view does nothing; close the store.
   */
  forWorkspace(workspaceId: string): Store;
  /** Releases connections and file handles; the store is unusable afterwards. Safe to call twice. */
  close(): Promise<void>;
}
