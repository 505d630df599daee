import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { IntegrationError } from '@switchyard/core';
import { createWebhookSecret, isWebhookSecret } from '../webhooks/webhook-secret';
import {
  API_KEY_SCOPES,
  INTEGRATION_STATUSES,
  WEBHOOK_ATTEMPT_OUTCOMES,
  WEBHOOK_OUTBOX_STATUSES,
  type JsonObject,
  type JsonValue,
} from './store-records';

const key = z.string().min(1).max(255);
const jsonObject = z.record(z.string(), z.json()) as unknown as z.ZodType<JsonObject>;
const base64 = z.base64();
const status = z.enum(INTEGRATION_STATUSES);
/** A placement's resource key (storage's is `bucket/key`, at most 1 088 bytes): 1–2 048 UTF-8 bytes, so it fits a B-tree index. */
const resourceKey = z
  .string()
  .min(1)
  .refine((value) => value.length <= 682 || Buffer.byteLength(value, 'utf8') <= 2048, 'must be at most 2048 UTF-8 bytes');
const epochMs = z.int().min(0);
/** An ISO 8601 timestamp, kept in UTC to the millisecond (`toISOString()`), as every store returns it. */
const isoTimestamp = z.iso
  .datetime({ offset: true })
  .refine((value) => new Date(value).getUTCFullYear() >= 1, 'must be in year 1 or later')
  .transform((value) => new Date(value).toISOString());
const scopes = z
  .array(z.enum(API_KEY_SCOPES))
  .min(1)
  .transform((values) => API_KEY_SCOPES.filter((scope) => values.includes(scope)));
const webhookUrl = z
  .string()
  .max(2048)
  .refine((value) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol), 'must be an http: or https: URL');
const webhookEventTypes = z
  .array(key)
  .min(1)
  .max(100)
  .transform((values) => [...new Set(values)]);
const webhookSecret = z.string().refine(isWebhookSecret, 'must be "whsec_" and the base64 of 24 to 64 bytes');
const outboxLimit = z.int().min(1).max(1000);
/**
 * A JSON value, checked by hand: a sync batch carries thousands of records,
 * and this walks each once without building zod issues for every leaf.
 */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  return isJsonObject(value, depth);
}

/** A plain object whose values are all JSON values (see {@link isJsonValue}). */
export function isJsonObject(value: unknown, depth = 0): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const name in value) {
    if (!isJsonValue((value as Record<string, unknown>)[name], depth + 1)) return false;
  }
  return true;
}

const batchJsonObject = z.custom<JsonObject>(
  (value) => isJsonObject(value),
  'must be a JSON object (plain, finite numbers, at most 64 levels)',
);
const batchJsonValue = z.custom<JsonValue>((value) => isJsonValue(value), 'must be a JSON value (finite numbers, at most 64 levels)');
const SYNC_BATCH_LIMIT = 10_000;
const syncCursor = z.string().max(65_536);
const syncLeaseHolder = { integrationId: key, leaseOwner: key };
const placementKey = z.object({ capability: key, key: resourceKey });
const placementHolder = z.object({ provider: key, version: z.string().max(1024).optional() });

/**
 * The schemas every store validates its input with, so the memory, SQLite
 * and PostgreSQL stores accept and reject exactly the same things. Parsing
 * fills in the documented defaults.
 */
export const storeSchemas = {
  key,
  newIntegration: z.object({
    id: key.optional(),
    workspaceId: key.default('default'),
    providerId: key,
    name: key,
    settings: jsonObject.default({}),
    status: status.default('active'),
  }),
  integrationChanges: z.object({ name: key.optional(), settings: jsonObject.optional(), status: status.optional() }),
  integrationFilter: z.object({ workspaceId: key.optional(), providerId: key.optional(), status: status.optional() }).default({}),
  newRegistryEntry: z.object({ providerId: key, packageName: key, version: key, manifest: jsonObject.default({}) }),
  credentialKey: z.object({ integrationId: key, field: key }),
  credentialWrite: z.object({
    integrationId: key,
    field: key,
    keyId: key,
    iv: base64,
    ciphertext: base64,
    authTag: base64,
    expectedVersion: z.int().min(0).optional(),
  }),
  credentialFilter: z.object({ integrationId: key.optional(), keyId: key.optional() }).default({}),
  newDefinition: z.object({ id: key.optional(), name: key, definition: jsonObject }),
  definitionChanges: z.object({ name: key.optional(), definition: jsonObject.optional() }),
  dataRecordKey: z.object({ integrationId: key, entity: key, externalId: key }),
  dataRecordWrite: z.object({ integrationId: key, entity: key, externalId: key, data: jsonObject }),
  dataRecordFilter: z.object({ integrationId: key, entity: key.optional() }),
  checkpointKey: z.object({ integrationId: key, stream: key }),
  checkpointWrite: z.object({ integrationId: key, stream: key, cursor: z.string().max(65_536) }),
  webhookDelivery: z.object({ providerId: key, deliveryId: key, integrationId: key.optional() }),
  newEvent: z.object({ type: key, workspaceId: key.default('default'), integrationId: key.optional(), payload: jsonObject.default({}) }),
  placementKey,
  placementRecord: placementKey.extend({
    holders: z.array(placementHolder).max(256),
    writeId: key,
    deleted: z.boolean(),
    updatedAt: epochMs,
  }),
  placementHint: placementKey.extend({ provider: key, action: z.enum(['copy', 'delete']), writeId: key, createdAt: epochMs }),
  /** What `removeHint` reads of a hint: which one, and the write that must still own it. */
  placementHintKey: placementKey.extend({ provider: key, writeId: key }),
  writeId: key.optional(),
  hintsQuery: z.object({ provider: key, limit: z.int().min(0) }),
  hintsCountQuery: key.optional(),
  newApiKey: z.object({
    id: key,
    workspaceId: key,
    name: key,
    scopes,
    secretHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (SHA-256)'),
    expiresAt: isoTimestamp.optional(),
  }),
  apiKeyChanges: z.object({
    name: key.optional(),
    scopes: scopes.optional(),
    expiresAt: isoTimestamp.nullable().optional(),
    revokedAt: isoTimestamp.nullable().optional(),
    lastUsedAt: isoTimestamp.optional(),
  }),
  apiKeyFilter: z.object({ workspaceId: key.optional() }).default({}),
  newWebhookSubscription: z.object({
    id: key.default(() => randomUUID()),
    workspaceId: key,
    url: webhookUrl,
    eventTypes: webhookEventTypes,
    description: z.string().max(1024).default(''),
    enabled: z.boolean().default(true),
    secret: webhookSecret.default(() => createWebhookSecret()),
  }),
  webhookSubscriptionChanges: z.object({
    url: webhookUrl.optional(),
    eventTypes: webhookEventTypes.optional(),
    description: z.string().max(1024).optional(),
    enabled: z.boolean().optional(),
    secret: webhookSecret.optional(),
  }),
  webhookSubscriptionFilter: z.object({ workspaceId: key.optional() }).default({}),
  newWebhookOutboxEntry: z.object({
    id: key.default(() => randomUUID()),
    subscriptionId: key,
    workspaceId: key,
    eventType: key,
    payload: jsonObject,
    nextAttemptAt: isoTimestamp.default(() => storeTimestamp()),
  }),
  webhookOutboxClaim: z.object({
    now: isoTimestamp,
    limit: outboxLimit,
    ids: z.array(key).max(1000).optional(),
    leaseMs: z
      .int()
      .min(1)
      .max(7 * 24 * 3_600_000),
  }),
  webhookAttempt: z
    .object({
      outcome: z.enum(WEBHOOK_ATTEMPT_OUTCOMES),
      responseStatus: z.int().min(100).max(599).optional(),
      error: z.string().max(4096).optional(),
      nextAttemptAt: isoTimestamp.optional(),
      attemptedAt: isoTimestamp,
    })
    .refine((attempt) => attempt.outcome !== 'retry' || attempt.nextAttemptAt !== undefined, {
      message: 'a retry needs nextAttemptAt',
      path: ['nextAttemptAt'],
    }),
  webhookOutboxQuery: z
    .object({
      subscriptionId: key.optional(),
      workspaceId: key.optional(),
      status: z.enum(WEBHOOK_OUTBOX_STATUSES).optional(),
      limit: outboxLimit.default(50),
    })
    .default({ limit: 50 }),
  syncLease: z.object({ integrationId: key, owner: key, ttlMs: z.int().min(1).max(86_400_000) }),
  syncLeaseKey: z.object({ integrationId: key, owner: key }),
  syncBatch: z.object({
    ...syncLeaseHolder,
    stream: key,
    entity: key,
    records: z
      .array(z.object({ externalId: key, data: batchJsonObject }))
      .max(SYNC_BATCH_LIMIT)
      .refine((records) => new Set(records.map((record) => record.externalId)).size === records.length, 'must hold each externalId once'),
    deletes: z.array(key).max(SYNC_BATCH_LIMIT).default([]),
    deadLetters: z
      .array(z.object({ externalId: key.optional(), reason: z.string().min(1).max(4096), data: batchJsonValue }))
      .max(SYNC_BATCH_LIMIT)
      .default([]),
    pass: key.optional(),
    cursor: syncCursor,
  }),
  syncPassEnd: z.object({ ...syncLeaseHolder, stream: key, entity: key, pass: key, cursor: syncCursor }),
  deadLetterQuery: z.object({ limit: z.int().min(1).max(1000).default(100) }).default({ limit: 100 }),
  recordCount: z.object({ integrationId: key, entity: key.optional() }),
  recentEventsQuery: z
    .object({
      limit: z.int().min(1).max(1000).default(50),
      type: key.optional(),
      integrationId: key.optional(),
      workspaceId: key.optional(),
      since: isoTimestamp.optional(),
      until: isoTimestamp.optional(),
    })
    .default({ limit: 50 }),
  eventPrune: z.object({ olderThan: isoTimestamp, workspaceId: key.optional() }),
} as const;

/**
 * Parses a store method's input, or throws an `IntegrationError` of kind
 * `validation` naming the operation and, in `details`, each failing field.
 *
 * @param operation - e.g. `store.integrations.create`.
 */
export function parseStoreInput<Schema extends z.ZodType>(schema: Schema, value: unknown, operation: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const summary = issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`)).join('; ');
  throw new IntegrationError({ kind: 'validation', message: `${operation}: invalid input: ${summary}`, operation, details: { issues } });
}

/** The `not_found` error a store throws, e.g. `storeNotFound('store.integrations.get', 'integration "a"')`. */
export function storeNotFound(operation: string, what: string): IntegrationError {
  return new IntegrationError({ kind: 'not_found', message: `${operation}: ${what} not found`, operation });
}

/** The `conflict` error a store throws, with machine-readable `details` when given. */
export function storeConflict(operation: string, message: string, details?: Record<string, unknown>): IntegrationError {
  return new IntegrationError({ kind: 'conflict', message: `${operation}: ${message}`, operation, details });
}

/** The conflict of a credential compare-and-swap whose expected version did not match. */
export function credentialVersionConflict(
  integrationId: string,
  field: string,
  expectedVersion: number,
  actualVersion: number,
): IntegrationError {
  return storeConflict(
    'store.credentials.put',
    `credential "${field}" of integration "${integrationId}" is at version ${actualVersion}, not ${expectedVersion}`,
    { integrationId, field, expectedVersion, actualVersion },
  );
}

function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((name) => `${JSON.stringify(name)}:${canonical(value[name] as JsonValue)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 (hex) of a JSON object in canonical form (keys sorted at every
 * level), so the same content hashes the same whatever its key order.
 */
export function contentHash(data: JsonObject): string {
  return createHash('sha256').update(canonical(data)).digest('hex');
}

/** The current time as an ISO 8601 string; every store timestamps with it. */
export function storeTimestamp(): string {
  return new Date().toISOString();
}
