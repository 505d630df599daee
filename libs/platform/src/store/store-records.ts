/** A JSON value as the store keeps it: what `JSON.parse` can return. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, the shape of every settings, definition and data field in the store. */
export type JsonObject = { [key: string]: JsonValue };

/** The states an integration can be in. */
export const INTEGRATION_STATUSES = ['active', 'paused', 'error', 'disabled'] as const;

/** One of {@link INTEGRATION_STATUSES}. */
export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];

/** A host's connection to one provider: which provider, what it is called, and its non-secret settings. */
export interface IntegrationRecord {
  readonly id: string;
  /** The workspace it belongs to; its credentials, synced records and checkpoints belong there too. */
  readonly workspaceId: string;
  readonly providerId: string;
  readonly name: string;
  /** Non-secret settings (base URL, region, ...); secrets live in credentials. */
  readonly settings: JsonObject;
  readonly status: IntegrationStatus;
  /** ISO 8601 timestamp. */
  readonly createdAt: string;
  /** ISO 8601 timestamp. */
  readonly updatedAt: string;
}

/** A provider package the host knows about, keyed by provider id. */
export interface RegistryEntry {
  readonly providerId: string;
  /** The npm package that provides it, e.g. `@switchyard/github`. */
  readonly packageName: string;
  /** The package version installed. */
  readonly version: string;
  /** The provider's manifest, or any other description the host keeps. */
  readonly manifest: JsonObject;
  /** ISO 8601 timestamp of the first registration. */
  readonly createdAt: string;
  /** ISO 8601 timestamp of the last change. */
  readonly updatedAt: string;
}

/**
 * One secret field of an integration, sealed by the credential manager
 * (AES-256-GCM). The store never sees the plaintext: `iv`, `ciphertext` and
 * `authTag` are opaque base64 strings to it.
 */
export interface SealedCredential {
  readonly integrationId: string;
  /** Which secret this is, e.g. `apiKey` or `refreshToken`. */
  readonly field: string;
  /** The id of the master key the record was sealed with, so keys can rotate. */
  readonly keyId: string;
  /** Base64. */
  readonly iv: string;
  /** Base64. */
  readonly ciphertext: string;
  /** Base64. */
  readonly authTag: string;
  /** 1 after the first write, one more after each later write; the compare-and-swap token. */
  readonly version: number;
  /** ISO 8601 timestamp. */
  readonly updatedAt: string;
}

/** A named JSON definition: a data mapping or a mapping template. */
export interface DefinitionRecord {
  readonly id: string;
  readonly name: string;
  /** The mapping itself (JSONata expressions and field maps); never evaluated by the store. */
  readonly definition: JsonObject;
  /** ISO 8601 timestamp. */
  readonly createdAt: string;
  /** ISO 8601 timestamp. */
  readonly updatedAt: string;
}

/** One record synced from a provider, keyed by (integration, entity, external id). */
export interface DataRecord {
  readonly integrationId: string;
  /** The kind of record, e.g. `issue` or `contact`. */
  readonly entity: string;
  /** The provider's id for the record. */
  readonly externalId: string;
  readonly data: JsonObject;
  /** SHA-256 (hex) of the data in canonical JSON; equal content, equal hash (see `contentHash`). */
  readonly hash: string;
  /** ISO 8601 timestamp. */
  readonly createdAt: string;
  /** ISO 8601 timestamp of the last change of content. */
  readonly updatedAt: string;
}

/** What an upsert did: `unchanged` when the content hash was already stored. */
export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** Where an incremental sync of one stream got to. */
export interface SyncCheckpoint {
  readonly integrationId: string;
  /** The stream synced, e.g. `issues`. */
  readonly stream: string;
  /** The provider cursor to resume from; opaque to the store. */
  readonly cursor: string;
  /** ISO 8601 timestamp. */
  readonly updatedAt: string;
}

/** An event the store kept, in append order. */
export interface StoredEvent {
  /** Increases with every append; later events have larger ids. */
  readonly id: number;
  /** E.g. `sync.completed` or `credential.refresh`. */
  readonly type: string;
  /** The workspace it happened in. */
  readonly workspaceId: string;
  readonly integrationId: string | undefined;
  readonly payload: JsonObject;
  /** ISO 8601 timestamp. */
  readonly occurredAt: string;
}

/** What an API key may do: `read` (list and look), `execute` (run operations and tools), `admin` (manage integrations, keys and webhooks). */
export const API_KEY_SCOPES = ['read', 'execute', 'admin'] as const;

/** One of {@link API_KEY_SCOPES}. */
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * An API key as the store keeps it: never the key itself, only the SHA-256
 * of it. The id is public (it is part of the key, before the secret part).
 */
export interface ApiKeyRecord {
  readonly id: string;
  /** The workspace the key belongs to and sees. */
  readonly workspaceId: string;
  /** What the key is for, e.g. `ci` or `agent (Claude Desktop)`. */
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** SHA-256 (hex) of the whole key. */
  readonly secretHash: string;
  /** ISO 8601 timestamp. */
  readonly createdAt: string;
  /** ISO 8601 timestamp after which the key is refused; `undefined`: never. */
  readonly expiresAt: string | undefined;
  /** ISO 8601 timestamp of the revocation; `undefined`: not revoked. */
  readonly revokedAt: string | undefined;
  /** ISO 8601 timestamp of the last accepted use, kept to the minute or so; `undefined`: never used. */
  readonly lastUsedAt: string | undefined;
}

/**
 * An outbound webhook subscription: where a workspace's events are POSTed,
 * signed the Standard Webhooks way with `secret`.
 */
export interface WebhookSubscriptionRecord {
  readonly id: string;
  /** The workspace whose events it receives. */
  readonly workspaceId: string;
  /** The endpoint, `http:` or `https:`. */
  readonly url: string;
  /** The event types it receives, at least one, without duplicates; `*` receives every type. */
  readonly eventTypes: readonly string[];
  /** Free text for people; `''` when none. */
  readonly description: string;
  /** A disabled subscription receives nothing new, and its queued deliveries fail. */
  readonly enabled: boolean;
  /**
   * The Standard Webhooks signing secret: `whsec_` and the base64 of 24–64
   * random bytes. Secret: hosts must not show it after creation, log it or
   * put it in events.
   */
  readonly secret: string;
  /** ISO 8601 timestamp. */
  readonly createdAt: string;
  /** ISO 8601 timestamp. */
  readonly updatedAt: string;
}

/**
 * Where an outbound delivery is: `pending` (waiting for `nextAttemptAt`),
 * `delivering` (claimed by a dispatcher until its lease expires),
 * `delivered` (a 2xx answer) or `failed` (given up).
 */
export const WEBHOOK_OUTBOX_STATUSES = ['pending', 'delivering', 'delivered', 'failed'] as const;

/** One of {@link WEBHOOK_OUTBOX_STATUSES}. */
export type WebhookOutboxStatus = (typeof WEBHOOK_OUTBOX_STATUSES)[number];

/** How an attempt at an outbound delivery ended (see `WebhookOutboxRepository.recordAttempt`). */
export const WEBHOOK_ATTEMPT_OUTCOMES = ['delivered', 'retry', 'failed'] as const;

/** One of {@link WEBHOOK_ATTEMPT_OUTCOMES}. */
export type WebhookAttemptOutcome = (typeof WEBHOOK_ATTEMPT_OUTCOMES)[number];

/**
 * One outbound webhook delivery: an entry of the durable queue and, once
 * attempted, of the delivery log. Never holds the subscription's secret.
 */
export interface WebhookOutboxRecord {
  /** The Standard Webhooks message id (`webhook-id`), the same on every attempt. */
  readonly id: string;
  readonly subscriptionId: string;
  readonly workspaceId: string;
  /** The event type, e.g. `integration.created`. */
  readonly eventType: string;
  /** The event's data (the `data` of the body sent). */
  readonly payload: JsonObject;
  readonly status: WebhookOutboxStatus;
  /** Attempts recorded so far. */
  readonly attempts: number;
  /** ISO 8601 timestamp: when a `pending` delivery is due. */
  readonly nextAttemptAt: string;
  /** ISO 8601 timestamp until which a `delivering` delivery is claimed; `undefined` when not claimed. */
  readonly leaseExpiresAt: string | undefined;
  /** ISO 8601 timestamp of the last recorded attempt; `undefined` before the first. */
  readonly lastAttemptAt: string | undefined;
  /** The HTTP status of the last attempt; `undefined` when it got no answer (or before the first). */
  readonly lastStatus: number | undefined;
  /** Why the last attempt did not deliver, with no secrets in it; `undefined` when it did (or before the first). */
  readonly lastError: string | undefined;
  /** ISO 8601 timestamp of the enqueue; the body's `timestamp`. */
  readonly createdAt: string;
  /** ISO 8601 timestamp of the last change. */
  readonly updatedAt: string;
}
