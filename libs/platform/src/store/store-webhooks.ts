import type {
  JsonObject,
  WebhookAttemptOutcome,
  WebhookOutboxRecord,
  WebhookOutboxStatus,
  WebhookSubscriptionRecord,
} from './store-records';

/** What {@link WebhookSubscriptionRepository.create} takes. */
export interface NewWebhookSubscription {
  /** Default: a random UUID. */
  readonly id?: string | undefined;
  readonly workspaceId: string;
  /** An `http:` or `https:` URL, at most 2 048 characters. The store does not check where it points: see `checkSubscriptionUrl`. */
  readonly url: string;
  /** At least one event type (`*`: every type); duplicates are dropped. */
  readonly eventTypes: readonly string[];
  /** Default: `''`. */
  readonly description?: string | undefined;
  /** Default: `true`. */
  readonly enabled?: boolean | undefined;
  /** `whsec_` and the base64 of 24–64 bytes. Default: a new random secret (32 bytes, see `createWebhookSecret`). */
  readonly secret?: string | undefined;
}

/** The fields {@link WebhookSubscriptionRepository.update} can change; absent fields stay as they are. */
export interface WebhookSubscriptionChanges {
  readonly url?: string | undefined;
  readonly eventTypes?: readonly string[] | undefined;
  readonly description?: string | undefined;
  readonly enabled?: boolean | undefined;
  /** A new secret (rotation); deliveries signed after the change use it. */
  readonly secret?: string | undefined;
}

/** Narrows {@link WebhookSubscriptionRepository.list}; absent fields match everything. */
export interface WebhookSubscriptionFilter {
  readonly workspaceId?: string | undefined;
}

/** Outbound webhook subscriptions. Deleting one deletes its queued and logged deliveries. */
export interface WebhookSubscriptionRepository {
  /** Throws `conflict` when the id is taken. */
  create(subscription: NewWebhookSubscription): Promise<WebhookSubscriptionRecord>;
  /** Throws `not_found`. */
  get(id: string): Promise<WebhookSubscriptionRecord>;
  /** Oldest first (by `createdAt`, then id). */
  list(filter?: WebhookSubscriptionFilter): Promise<WebhookSubscriptionRecord[]>;
  /** Throws `not_found`. */
  update(id: string, changes: WebhookSubscriptionChanges): Promise<WebhookSubscriptionRecord>;
  /** Throws `not_found`. */
  delete(id: string): Promise<void>;
}

/** What {@link WebhookOutboxRepository.enqueue} takes. */
export interface NewWebhookOutboxEntry {
  /** The Standard Webhooks message id. Default: a random UUID. */
  readonly id?: string | undefined;
  readonly subscriptionId: string;
  /** Must be the subscription's workspace. */
  readonly workspaceId: string;
  readonly eventType: string;
  readonly payload: JsonObject;
  /** ISO 8601 timestamp of the first attempt. Default: now. */
  readonly nextAttemptAt?: string | undefined;
}

/** What {@link WebhookOutboxRepository.claimDue} takes. */
export interface WebhookOutboxClaim {
  /** ISO 8601 timestamp: deliveries due at or before it are claimed. */
  readonly now: string;
  /** At most this many, 1–1 000. */
  readonly limit: number;
  /** How long the claim holds, in milliseconds (at least 1); after it another claimer may take the delivery. */
  readonly leaseMs: number;
  /** Only among these deliveries (at most 1 000), e.g. the one a job queue handed over. Default: any. */
  readonly ids?: readonly string[] | undefined;
}

/** What {@link WebhookOutboxRepository.recordAttempt} takes. */
export interface WebhookAttempt {
  /** `delivered` and `failed` are final; `retry` makes the delivery `pending` again until `nextAttemptAt`. */
  readonly outcome: WebhookAttemptOutcome;
  /** The HTTP status answered, when there was an answer. */
  readonly responseStatus?: number | undefined;
  /** Why it did not deliver, at most 4 096 characters; never a secret. */
  readonly error?: string | undefined;
  /** ISO 8601 timestamp; required with `retry`. */
  readonly nextAttemptAt?: string | undefined;
  /** ISO 8601 timestamp of the attempt. */
  readonly attemptedAt: string;
}

/** Narrows {@link WebhookOutboxRepository.list}. */
export interface WebhookOutboxQuery {
  readonly subscriptionId?: string | undefined;
  /** Default: every workspace. */
  readonly workspaceId?: string | undefined;
  readonly status?: WebhookOutboxStatus | undefined;
  /** Default: 50; at most 1 000. */
  readonly limit?: number | undefined;
}

/**
 * The outbound webhook queue and delivery log. Claims are atomic across
 * processes sharing the store: a delivery is handed to one claimer at a time,
 * and again only after its lease expires (at-least-once delivery).
 */
export interface WebhookOutboxRepository {
  /** Queues a delivery as `pending`. Throws `conflict` when the id is taken and `not_found` when the subscription is not in that workspace. */
  enqueue(entry: NewWebhookOutboxEntry): Promise<WebhookOutboxRecord>;
  /**
   * Marks up to `limit` due deliveries — `pending` ones whose `nextAttemptAt`
   * has come, and `delivering` ones whose lease has expired — as
   * `delivering` until `now + leaseMs`, and returns them, earliest due first.
   * Two concurrent calls never return the same delivery.
   */
  claimDue(claim: WebhookOutboxClaim): Promise<WebhookOutboxRecord[]>;
  /**
   * Records an attempt at a `delivering` delivery: one more attempt, its
   * status and error, and the new state. Throws `not_found`, and `conflict`
   * when the delivery is not `delivering` (e.g. another claimer recorded it).
   */
  recordAttempt(id: string, attempt: WebhookAttempt): Promise<WebhookOutboxRecord>;
  /** Throws `not_found`. */
  get(id: string): Promise<WebhookOutboxRecord>;
  /** Newest first (by `createdAt`, then enqueue order). */
  list(query?: WebhookOutboxQuery): Promise<WebhookOutboxRecord[]>;
}
