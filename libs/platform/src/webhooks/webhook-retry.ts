import { parseRetryAfter } from '@switchyard/core';

/** How the webhook dispatcher retries a delivery that did not get a 2xx. */
export interface WebhookRetryOptions {
  /** Attempts in all, the first included, before a delivery is `failed`. Default: 8. */
  readonly maxAttempts?: number | undefined;
  /** The first retry's delay, in milliseconds; each later one may double. Default: 1 000. */
  readonly minDelayMs?: number | undefined;
  /** The longest delay between attempts, in milliseconds, `Retry-After` included. Default: 3 600 000 (1 h). */
  readonly maxDelayMs?: number | undefined;
  /** Spread each delay at random between `minDelayMs` and its exponential ceiling ("full jitter"). Default: `true`. */
  readonly jitter?: boolean | undefined;
}

/** {@link WebhookRetryOptions} with the defaults filled in. */
export type WebhookRetryPolicy = Required<{ readonly [Key in keyof WebhookRetryOptions]: NonNullable<WebhookRetryOptions[Key]> }>;

/** The retry policy the dispatcher uses when given none. */
export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = Object.freeze({
  maxAttempts: 8,
  minDelayMs: 1000,
  maxDelayMs: 3_600_000,
  jitter: true,
});

function whole(value: number, name: string, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) throw new RangeError(`${name} must be a whole number >= ${minimum}`);
  return value;
}

/** Fills in and checks a retry policy. */
export function resolveWebhookRetry(options: WebhookRetryOptions = {}): WebhookRetryPolicy {
  const minDelayMs = whole(options.minDelayMs ?? DEFAULT_WEBHOOK_RETRY.minDelayMs, 'retry.minDelayMs', 0);
  return {
    maxAttempts: whole(options.maxAttempts ?? DEFAULT_WEBHOOK_RETRY.maxAttempts, 'retry.maxAttempts', 1),
    minDelayMs,
    maxDelayMs: whole(options.maxDelayMs ?? DEFAULT_WEBHOOK_RETRY.maxDelayMs, 'retry.maxDelayMs', minDelayMs),
    jitter: options.jitter ?? DEFAULT_WEBHOOK_RETRY.jitter,
  };
}

/**
 * The delay before the next attempt after `attempts` attempts (1 or more):
 * an exponential ceiling `minDelayMs · 2^(attempts − 1)`, capped at
 * `maxDelayMs`, and with jitter a uniform draw between `minDelayMs` and that
 * ceiling.
 *
 * @param random - a number in [0, 1); default `Math.random`.
 */
export function webhookBackoffMs(policy: WebhookRetryPolicy, attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
  if (!policy.jitter) return ceiling;
  return Math.round(policy.minDelayMs + random() * (ceiling - policy.minDelayMs));
}

/**
 * What an HTTP status means for a delivery: 2xx `delivered`; 4xx other than
 * 408, 409, 425 and 429 `failed` (the subscriber refused the message; sending
 * it again will not help); anything else (3xx, 408, 409, 425, 429, 5xx)
 * `retry`. Redirects are never followed.
 */
export function classifyWebhookStatus(status: number): 'delivered' | 'retry' | 'failed' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status)) return 'failed';
  return 'retry';
}

/** How long a 429 or 503 answer asked to wait (`Retry-After`), in milliseconds; `undefined` for other statuses or none. */
export function webhookRetryAfterMs(response: Response, now: number): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  return parseRetryAfter(response.headers.get('retry-after') ?? undefined, now);
}
