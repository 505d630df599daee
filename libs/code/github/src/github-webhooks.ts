import {
  headerValue,
  verifyHmacSignature,
  type NormalizedWebhookFields,
  type ProviderWebhooks,
  type VerifiedWebhook,
  type WebhookEventType,
  type WebhookHeaders,
} from '@switchyard/core';
import { githubErrors } from './github-error';

function refused(message: string) {
  return githubErrors.create({ kind: 'auth', message: `webhooks.verify: ${message}`, operation: 'webhooks.verify', isRetryable: false });
}

function unreadable(message: string) {
  return githubErrors.create({
    kind: 'validation',
    message: `webhooks.parse: ${message}`,
    operation: 'webhooks.parse',
    isRetryable: false,
  });
}

/** A header's one value; a missing, empty or conflicting repeated header fails with `auth`, naming the header. */
function requiredHeader(headers: WebhookHeaders, name: string): string {
  const value = headerValue(headers, name)?.trim();
  if (value === undefined || value === '') throw refused(`the ${name} header is missing (or sent twice with different values)`);
  return value;
}

/**
 * Checks `X-Hub-Signature-256` (`sha256=` + HMAC-SHA256 of the raw body with
 * the webhook secret, hex) in constant time with core's `verifyHmacSignature`,
 * and reads the delivery id (`X-GitHub-Delivery`) and event
 * (`X-GitHub-Event`). A missing header or a signature that does not match the
 * bytes fails with `auth`, naming which; never the secret.
 */
export function verifyGithubWebhook(
  request: { readonly headers: WebhookHeaders; readonly rawBody: Uint8Array | string },
  secret: string,
): VerifiedWebhook {
  if (secret === '') throw refused('no webhook secret is configured');
  const signature = requiredHeader(request.headers, 'X-Hub-Signature-256');
  // Lower-case hex only, as GitHub sends it and @octokit/webhooks-methods accepts it.
  if (
    !verifyHmacSignature({
      secret,
      payload: request.rawBody,
      algorithm: 'sha256',
      prefix: 'sha256=',
      encoding: 'hex',
      digestCase: 'lower',
      signature,
    })
  ) {
    throw refused('the X-Hub-Signature-256 signature does not match the body');
  }
  return {
    deliveryId: requiredHeader(request.headers, 'X-GitHub-Delivery'),
    providerEvent: requiredHeader(request.headers, 'X-GitHub-Event'),
  };
}

/**
 * Reads a verified body in either of GitHub's content types: `json`
 * (`application/json`, the payload itself) or `form`
 * (`application/x-www-form-urlencoded`, GitHub's default `content_type`: one
 * field `payload` holding the same JSON). The body says which it is
 * (a payload is a JSON object, a form starts with a field name), so a proxy
 * that rewrites `Content-Type` does not matter. The signature was checked
 * over the raw bytes before this runs; a form without exactly one `payload`
 * field, or JSON that does not parse, fails with `validation` quoting none of
 * the body.
 */
export function parseGithubWebhookBody(rawBody: string): unknown {
  let json = rawBody;
  if (!rawBody.trimStart().startsWith('{')) {
    const payloads = new URLSearchParams(rawBody).getAll('payload');
    if (payloads.length !== 1) throw unreadable('the form body must hold exactly one `payload` field (content_type: form)');
    json = payloads[0]!;
  }
  try {
    return JSON.parse(json) as unknown;
  } catch {
    // The parser's message quotes the body; leave it out.
    throw unreadable(json === rawBody ? 'the body is not valid JSON' : 'the form field `payload` is not valid JSON');
  }
}

const TYPES: Readonly<Record<string, WebhookEventType>> = {
  push: 'push',
  pull_request: 'pull_request',
  issues: 'issue',
  issue_comment: 'issue_comment',
};

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const name of path)
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[name] : undefined;
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
  parse: (_webhook, rawBody) => parseGithubWebhookBody(rawBody),
  normalize: normalizeGithubWebhook,
};
