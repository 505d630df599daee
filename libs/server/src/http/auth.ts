import type { ApiKeyIdentity, ApiKeys, ApiKeyScope } from '@switchyard/platform';
import type { FastifyRequest } from 'fastify';
import { problem, ProblemError } from './problem';

/** Per-key request limits: a token bucket per API key, in this process. */
export interface RateLimitOptions {
  /** Requests per second a key may make on average. Default 50. */
  readonly requestsPerSecond?: number | undefined;
  /** Requests a key may make at once after being idle. Default 100. */
  readonly burst?: number | undefined;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A token bucket per key; `take` answers how long to wait, 0 when the request may go. */
export class KeyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly burst: number;
  private readonly now: () => number;

  constructor(options: RateLimitOptions, now: () => number = Date.now) {
    this.now = now;
    this.perMs = (options.requestsPerSecond ?? 50) / 1000;
    this.burst = options.burst ?? 100;
  }

  /** Takes one token for `key`; returns 0, or the milliseconds until one is available. */
  take(key: string): number {
    const at = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: at };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (at - bucket.updatedAt) * this.perMs);
    bucket.updatedAt = at;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Checks the request's bearer API key for `scope`: 401 (with
 * `WWW-Authenticate: Bearer`) for a missing, unknown, expired or revoked key
 * alike, 403 for a good key without the scope, 429 with `Retry-After` past
 * the key's rate. Problems name no key and say nothing of why a key failed.
 */
export async function authenticate(
  request: FastifyRequest,
  scope: ApiKeyScope,
  keys: Pick<ApiKeys, 'verify'>,
  limiter: KeyRateLimiter | undefined,
): Promise<ApiKeyIdentity> {
  const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
  const verdict = presented === undefined ? undefined : await keys.verify(presented, scope);
  if (verdict === undefined || (!verdict.ok && verdict.reason !== 'forbidden')) {
    throw new ProblemError(
      problem(401, 'unauthorized', 'A valid API key is required: Authorization: Bearer <key>.', { isRetryable: false }),
    );
  }
  if (!verdict.ok) {
    throw new ProblemError(problem(403, 'forbidden', `This endpoint needs an API key with the ${scope} scope.`, { isRetryable: false }));
  }
  const waitMs = limiter?.take(verdict.identity.id) ?? 0;
  if (waitMs > 0) {
    throw new ProblemError(
      problem(429, 'rate_limit', 'Too many requests for this API key; try again after the Retry-After delay.', {
        retryAfterMs: waitMs,
        isRetryable: true,
      }),
    );
  }
  return verdict.identity;
}
