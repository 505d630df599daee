import { createHmac, timingSafeEqual } from 'node:crypto';
import { IntegrationError, type NormalizedWebhookFields, type ProviderWebhooks, type VerifiedWebhook, type WebhookEventType, type WebhookHeaders } from '@switchyard/core';

const SIGNATURE_HEADER = 'x-hub-signature-256';
const DELIVERY_HEADER = 'x-github-delivery';
const EVENT_HEADER = 'x-github-event';

function refused(message: string): IntegrationError {
  return new IntegrationError({ kind: 'auth', message: `github webhook: ${message}`, provider: 'github', operation: 'webhooks.verify', isRetryable: false });
}

/** The one value of a header, matched case-insensitively; a repeated header is refused. */
function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    values.push(...(typeof value === 'string' ? [value] : value));
  }
  if (values.length > 1) throw refused(`the ${name} header was sent more than once`);
  const value = values[0]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Checks `X-Hub-Signature-256` (`sha256=` + HMAC-SHA256 of the raw body with
 * the webhook secret, hex) in constant time, and reads the delivery id
 * (`X-GitHub-Delivery`) and event (`X-GitHub-Event`). A missing header, a
 * malformed signature or a mismatch fails with `auth`, naming which.
 */
export function verifyGithubWebhook(request: { readonly headers: WebhookHeaders; readonly rawBody: Uint8Array | string }, secret: string): VerifiedWebhook {
  if (secret === '') throw refused('no webhook secret is configured');
  const signature = headerValue(request.headers, SIGNATURE_HEADER);
  if (signature === undefined) throw refused('the X-Hub-Signature-256 header is missing');
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature);
  if (match === null) throw refused('the X-Hub-Signature-256 header is not "sha256=" and 64 hex digits');
  const body = typeof request.rawBody === 'string' ? Buffer.from(request.rawBody, 'utf8') : Buffer.from(request.rawBody);
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(match[1] ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused('the X-Hub-Signature-256 signature does not match the body');
  const deliveryId = headerValue(request.headers, DELIVERY_HEADER);
  if (deliveryId === undefined) throw refused('the X-GitHub-Delivery header is missing');
  const providerEvent = headerValue(request.headers, EVENT_HEADER);
  if (providerEvent === undefined) throw refused('the X-GitHub-Event header is missing');
  return { deliveryId, providerEvent };
}

const TYPES: Readonly<Record<string, WebhookEventType>> = {
  push: 'push',
  pull_request: 'pull_request',
  issues: 'issue',
  issue_comment: 'issue_comment',
};

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const name of path) current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[name] : undefined;
  return current;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Maps a verified payload: `push`, `pull_request` (a closed and merged pull
 * request's action is `merged`), `issues` → `issue`, `issue_comment`; every
 * other event is `other` with GitHub's `action`. The repository is
 * `repository.full_name`, the sender `sender.login`.
 */
export function normalizeGithubWebhook(webhook: VerifiedWebhook, payload: unknown): NormalizedWebhookFields {
  const type = TYPES[webhook.providerEvent] ?? 'other';
  let action = text(field(payload, 'action'));
  if (type === 'pull_request' && action === 'closed' && field(payload, 'pull_request', 'merged') === true) action = 'merged';
  return {
    type,
    action: action?.toLowerCase(),
    repository: text(field(payload, 'repository', 'full_name')),
    sender: text(field(payload, 'sender', 'login')),
  };
}

/** GitHub's part of core's webhook receiver: `ProviderV1.webhooks`. */
export const githubWebhooks: ProviderWebhooks = {
  verify: verifyGithubWebhook,
  normalize: normalizeGithubWebhook,
};
