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

/** What `Authorization: Bearer <token>` is read by; {@link bearerToken} reads the same without a match object. */
export const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Latin-1 white space, as `\s` matches it. */
const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || code === 160;

/**
 * The token of an `Authorization: Bearer <token>` header (the scheme in any
 * case), exactly as {@link BEARER} reads it, but without allocating a match on
 * every request. Headers outside Latin-1 go to the expression itself.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const scheme = 'bearer';
  for (let index = 0; index < scheme.length; index += 1) {
    // `| 0x20` lowercases an ASCII capital; only 'B' and 'b' (and so on) become the letter compared with.
    if ((header.charCodeAt(index) | 0x20) !== scheme.charCodeAt(index)) return undefined;
  }
  let start = scheme.length;
  let end = header.length;
  for (let index = start; index < end; index += 1) if (header.charCodeAt(index) > 255) return BEARER.exec(header)?.[1];
  while (start < end && isSpace(header.charCodeAt(start))) start += 1;
  if (start === scheme.length) return undefined;
  while (end > start && isSpace(header.charCodeAt(end - 1))) end -= 1;
  if (end === start) return undefined;
  for (let index = start; index < end; index += 1) if (isSpace(header.charCodeAt(index))) return undefined;
  return header.slice(start, end);
}

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
  const presented = bearerToken(request.headers.authorization);
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
