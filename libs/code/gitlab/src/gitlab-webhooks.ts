import { createHash } from 'node:crypto';
import {
  headerValue,
  timingSafeEqualText,
  type IntegrationError,
  type NormalizedWebhookFields,
  type ProviderWebhooks,
  type WebhookEventType,
  type WebhookHeaders,
} from '@switchyard/core';
import { z } from 'zod';
import { errors } from './gitlab-errors';

function rejected(message: string): IntegrationError {
  return errors.create({ kind: 'auth', message: `webhook: ${message}`, statusCode: 401, isRetryable: false });
}

const TYPE_BY_EVENT: Readonly<Record<string, WebhookEventType>> = {
  'Push Hook': 'push',
  'Merge Request Hook': 'pull_request',
  'Issue Hook': 'issue',
  'Confidential Issue Hook': 'issue',
};

/** Merge request actions in the past tense the normalized events use. */
const ACTIONS: Readonly<Record<string, string>> = {
  open: 'opened',
  close: 'closed',
  reopen: 'reopened',
  merge: 'merged',
  update: 'updated',
  approved: 'approved',
  unapproved: 'unapproved',
  approval: 'approved',
  unapproval: 'unapproved',
};

/** A non-empty string, or undefined for anything else (a hook body is the sender's to shape). */
const text = z.string().min(1).optional().catch(undefined);

/** The fields of Push, Merge Request, Issue and Note hook bodies that `normalize` reads; anything malformed reads as absent. */
const hookSchema = z
  .object({
    project: z.object({ path_with_namespace: text }).optional().catch(undefined),
    user: z.object({ username: text }).optional().catch(undefined),
    user_username: text,
    object_attributes: z.object({ noteable_type: text, action: text }).optional().catch(undefined),
  })
  .catch({});

/** A header's value, trimmed; absent when missing, empty, or repeated with different values. */
function presentHeader(headers: WebhookHeaders, name: string): string | undefined {
  const value = headerValue(headers, name)?.trim();
  return value === '' ? undefined : value;
}

/**
 * The id a delivery is deduplicated by. `Idempotency-Key` (GitLab 17.4+) is
 * the same for every attempt of one event, a manual re-send included, and
 * differs between events: it is used verbatim. Without it (older GitLab),
 * `X-Gitlab-Event-UUID` joined with the first 32 hex digits of the body's
 * SHA-256 (`<event uuid>/<hash>`): that UUID is shared by every webhook a
 * chain of recursive webhooks triggers, so the body keeps different events
 * apart. `X-Gitlab-Webhook-UUID` is never used: GitLab draws a new one for
 * every request. Neither header present fails with `auth`.
 */
function deliveryIdOf(headers: WebhookHeaders, rawBody: Uint8Array | string): string {
  const idempotencyKey = presentHeader(headers, 'Idempotency-Key');
  if (idempotencyKey !== undefined) return idempotencyKey;
  const eventUuid = presentHeader(headers, 'X-Gitlab-Event-UUID');
  if (eventUuid === undefined) {
    throw rejected('neither an Idempotency-Key nor an X-Gitlab-Event-UUID header is present (needed to deduplicate deliveries)');
  }
  return `${eventUuid}/${createHash('sha256').update(rawBody).digest('hex').slice(0, 32)}`;
}

/**
 * GitLab's inbound webhooks: `verify` compares `X-Gitlab-Token` with the
 * secret in constant time, takes the event from `X-Gitlab-Event` and the
 * delivery id from `Idempotency-Key` (else `X-Gitlab-Event-UUID` and a hash of
 * the body); a missing header or a wrong token is an `auth` error naming the
 * header, never the token. `normalize` maps Push, Merge Request, Issue and
 * Note (on an issue) hooks.
 */
export const gitlabWebhooks: ProviderWebhooks = {
  verify(request, secret) {
    if (secret === '') throw rejected('no webhook token is configured to verify against');
    const token = headerValue(request.headers, 'X-Gitlab-Token');
    if (token === undefined) throw rejected('the X-Gitlab-Token header is missing');
    if (!timingSafeEqualText(token, secret)) throw rejected('the X-Gitlab-Token header does not match the webhook token');
    const providerEvent = headerValue(request.headers, 'X-Gitlab-Event');
    if (providerEvent === undefined) throw rejected('the X-Gitlab-Event header is missing');
    return { deliveryId: deliveryIdOf(request.headers, request.rawBody), providerEvent };
  },

  normalize(webhook, payload): NormalizedWebhookFields {
    const hook = hookSchema.parse(payload);
    const repository = hook.project?.path_with_namespace;
    const sender = hook.user?.username ?? hook.user_username;
    if (webhook.providerEvent === 'Note Hook' || webhook.providerEvent === 'Confidential Note Hook') {
      const onIssue = hook.object_attributes?.noteable_type === 'Issue';
      return { type: onIssue ? 'issue_comment' : 'other', action: 'created', repository, sender };
    }
    const type = TYPE_BY_EVENT[webhook.providerEvent] ?? 'other';
    const rawAction = hook.object_attributes?.action;
    const action = type === 'push' ? undefined : rawAction === undefined ? undefined : (ACTIONS[rawAction] ?? rawAction);
    return { type, action, repository, sender };
  },
};
