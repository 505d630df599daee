import {
  headerValue,
  timingSafeEqualText,
  type IntegrationError,
  type NormalizedWebhookFields,
  type ProviderWebhooks,
  type WebhookEventType,
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

/**
 * GitLab's inbound webhooks: `verify` compares `X-Gitlab-Token` with the
 * secret in constant time and takes the delivery id from
 * `X-Gitlab-Event-UUID` and the event from `X-Gitlab-Event`; a missing header
 * or a wrong token is an `auth` error naming the header, never the token.
 * `normalize` maps Push, Merge Request, Issue and Note (on an issue) hooks.
 */
export const gitlabWebhooks: ProviderWebhooks = {
  verify(request, secret) {
    if (secret === '') throw rejected('no webhook token is configured to verify against');
    const token = headerValue(request.headers, 'X-Gitlab-Token');
    if (token === undefined) throw rejected('the X-Gitlab-Token header is missing');
    if (!timingSafeEqualText(token, secret)) throw rejected('the X-Gitlab-Token header does not match the webhook token');
    const providerEvent = headerValue(request.headers, 'X-Gitlab-Event');
    if (providerEvent === undefined) throw rejected('the X-Gitlab-Event header is missing');
    const deliveryId = headerValue(request.headers, 'X-Gitlab-Event-UUID');
    if (deliveryId === undefined) throw rejected('the X-Gitlab-Event-UUID header is missing (needed to deduplicate deliveries)');
    return { deliveryId, providerEvent };
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
