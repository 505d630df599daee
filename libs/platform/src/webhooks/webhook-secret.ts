import { randomBytes } from 'node:crypto';

/** The prefix of a Standard Webhooks signing secret. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

const SECRET_PATTERN = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/**
 * A new Standard Webhooks signing secret: `whsec_` and the base64 of
 * `byteLength` random bytes (default 32; 24–64).
 *
 * @example
 * ```ts
 * await store.webhookSubscriptions.create({ workspaceId, url, eventTypes: ['*'], secret: createWebhookSecret() });
 * ```
 */
export function createWebhookSecret(byteLength = 32): string {
  if (!Number.isInteger(byteLength) || byteLength < 24 || byteLength > 64)
    throw new RangeError('byteLength must be a whole number from 24 to 64');
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(byteLength).toString('base64')}`;
}

/** True when `secret` is `whsec_` and canonical base64 of 24–64 bytes. */
export function isWebhookSecret(secret: string): boolean {
  const match = SECRET_PATTERN.exec(secret);
  if (match === null) return false;
  const bytes = Buffer.from(match[1]!, 'base64');
  return bytes.length >= 24 && bytes.length <= 64 && bytes.toString('base64') === match[1];
}
