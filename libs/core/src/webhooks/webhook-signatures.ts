import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { WebhookHeaders } from '../provider/provider-webhooks';

/** The digests {@link verifyHmacSignature} and {@link hmacSignature} support. */
export type WebhookHmacAlgorithm = 'sha256' | 'sha1';

/** How a signature header spells the digest bytes. */
export type WebhookSignatureEncoding = 'hex' | 'base64';

/** What {@link hmacSignature} takes. */
export interface HmacSignatureOptions {
  /** The shared signing secret. */
  readonly secret: string;
  /** The signed bytes, exactly as sent; a string is taken as UTF-8. */
  readonly payload: Uint8Array | string;
  /** Default: `'sha256'`. */
  readonly algorithm?: WebhookHmacAlgorithm | undefined;
  /** Text in front of the digest, e.g. GitHub's `'sha256='` or Slack's `'v0='`. Default: none. */
  readonly prefix?: string | undefined;
  /** Default: `'hex'` (lower case). */
  readonly encoding?: WebhookSignatureEncoding | undefined;
}

/** What {@link verifyHmacSignature} takes: the signing options plus the signature the request carried. */
export interface VerifyHmacSignatureOptions extends HmacSignatureOptions {
  /** The signature header's value; `undefined` (header missing) never verifies. */
  readonly signature: string | undefined;
  /**
   * Which spellings of a hex digest verify: `'any'` takes upper- and lower-case digits, `'lower'` only the
   * lower case senders write (all that Slack's Bolt and the Node build of `@octokit/webhooks-methods` accept).
   * Ignored for base64. Default: `'any'`.
   */
  readonly digestCase?: 'any' | 'lower' | undefined;
}

/** What {@link verifyTimestampWindow} takes. */
export interface TimestampWindowOptions {
  /** The current time as epoch milliseconds. Default: `Date.now()`. */
  readonly now?: number | undefined;
  /** How far the timestamp may be from `now`, either way, in seconds. Default: 300 (five minutes, as Slack and Stripe advise). */
  readonly toleranceSeconds?: number | undefined;
  /**
   * How far ahead of `now` the timestamp may be, in seconds, when that differs from `toleranceSeconds`;
   * `Number.POSITIVE_INFINITY` accepts any future timestamp (Slack's Bolt does: a replay always comes later than
   * the original, so only the age limits it). Default: `toleranceSeconds`.
   */
  readonly futureToleranceSeconds?: number | undefined;
}

/** A per-process key, so {@link timingSafeEqualText} compares digests of equal length whatever the inputs' lengths. */
const comparisonKey = randomBytes(32);

const HEX = /^[0-9a-f]*$/i;
const LOWER_HEX = /^[0-9a-f]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DIGITS = /^\d{1,15}$/;

/**
 * Reads one header from a webhook's headers, matching the name
 * case-insensitively, as HTTP requires.
 *
 * Headers that arrive more than once are **rejected, not merged**: an array
 * with several entries, or the same name under two spellings with different
 * values, yields `undefined`, so a provider's `verify` treats it like a
 * missing header. A request carrying two signatures or two delivery ids is
 * either broken or an attempt to confuse the verifier. An array with one
 * entry yields that entry.
 *
 * @example
 * ```ts
 * const signature = headerValue(request.headers, 'X-Hub-Signature-256');
 * ```
 */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    let single: string | undefined;
    if (typeof value === 'string') single = value;
    else if (value.length === 1 && typeof value[0] === 'string') single = value[0];
    else return undefined;
    if (found !== undefined && found !== single) return undefined;
    found = single;
  }
  return found;
}

/**
 * Compares two strings in time that depends on neither their contents nor
 * where they first differ. Both are HMAC-ed with a random per-process key and
 * the equal-length digests are compared with `crypto.timingSafeEqual`, so
 * strings of different lengths are compared without an early return; only
 * the cost of hashing, proportional to the inputs' lengths, remains.
 *
 * Use it for shared tokens sent verbatim (GitLab's `X-Gitlab-Token`,
 * Telegram's `X-Telegram-Bot-Api-Secret-Token`); for HMAC signatures use
 * {@link verifyHmacSignature}.
 */
export function timingSafeEqualText(left: string, right: string): boolean {
  const leftDigest = createHmac('sha256', comparisonKey).update(left, 'utf8').digest();
  const rightDigest = createHmac('sha256', comparisonKey).update(right, 'utf8').digest();
  return timingSafeEqual(leftDigest, rightDigest);
}

/**
 * Computes an HMAC signature as webhook senders put it in a header, e.g.
 * `sha256=757107ea…` for GitHub. For tests and for signing outbound
 * deliveries.
 *
 * @example
 * ```ts
 * hmacSignature({ secret, payload: rawBody, prefix: 'sha256=' }); // "sha256=<64 hex digits>"
 * ```
 */
export function hmacSignature(options: HmacSignatureOptions): string {
  return (options.prefix ?? '') + hmacDigest(options).toString(options.encoding ?? 'hex');
}

/**
 * Checks a webhook's HMAC signature over its raw body in constant time.
 * Returns `false`, never throws, for a missing signature, a missing or
 * different prefix, malformed hex or base64, a digest of the wrong length, or
 * a digest that does not match. Hex is accepted in either case unless
 * `digestCase: 'lower'`. The digest's length is fixed by the algorithm, so
 * rejecting a wrong length early leaks nothing.
 *
 * Sign over the bytes as received: JSON parsed and re-serialized does not
 * verify.
 *
 * @example
 * ```ts
 * const valid = verifyHmacSignature({
 *   secret,
 *   payload: request.rawBody,
 *   signature: headerValue(request.headers, 'X-Hub-Signature-256'),
 *   prefix: 'sha256=',
 * });
 * ```
 */
export function verifyHmacSignature(options: VerifyHmacSignatureOptions): boolean {
  const { signature } = options;
  const prefix = options.prefix ?? '';
  if (typeof signature !== 'string' || !signature.startsWith(prefix)) return false;
  const digest = signature.slice(prefix.length);
  if (options.digestCase === 'lower' && (options.encoding ?? 'hex') === 'hex' && !LOWER_HEX.test(digest)) return false;
  const given = decodeDigest(digest, options.encoding ?? 'hex');
  const expected = hmacDigest(options);
  if (given === undefined || given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}

/**
 * Whether a signed timestamp (Slack's `X-Slack-Request-Timestamp`, Stripe's
 * `t=`) is within `toleranceSeconds` of `now`, in either direction (ahead of
 * it: `futureToleranceSeconds`, when given). Use it in a provider's `verify`
 * after the signature holds, so a captured request cannot be replayed later. Accepts epoch seconds as a number or as the
 * header's digits; anything else (empty, fractional, negative, not a number)
 * is `false`.
 *
 * @example
 * ```ts
 * verifyTimestampWindow(headerValue(request.headers, 'X-Slack-Request-Timestamp'), { now: request.receivedAt });
 * ```
 */
export function verifyTimestampWindow(timestampSeconds: number | string | undefined, options: TimestampWindowOptions = {}): boolean {
  const seconds =
    typeof timestampSeconds === 'string' ? (DIGITS.test(timestampSeconds) ? Number(timestampSeconds) : Number.NaN) : timestampSeconds;
  if (seconds === undefined || !Number.isSafeInteger(seconds) || seconds < 0) return false;
  const toleranceSeconds = options.toleranceSeconds ?? 300;
  const futureToleranceSeconds = options.futureToleranceSeconds ?? toleranceSeconds;
  const nowSeconds = (options.now ?? Date.now()) / 1000;
  return nowSeconds - seconds <= toleranceSeconds && seconds - nowSeconds <= futureToleranceSeconds;
}

function hmacDigest(options: HmacSignatureOptions): Buffer {
  const hmac = createHmac(options.algorithm ?? 'sha256', options.secret);
  if (typeof options.payload === 'string') hmac.update(options.payload, 'utf8');
  else hmac.update(options.payload);
  return hmac.digest();
}

/** Decodes a digest strictly: Buffer.from() would skip bad characters and decode a prefix of them. */
function decodeDigest(text: string, encoding: WebhookSignatureEncoding): Buffer | undefined {
  if (text.length === 0) return undefined;
  if (encoding === 'hex') return HEX.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : undefined;
  if (!BASE64.test(text) || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Only the canonical spelling: other padding bits decode to the same bytes, and a signature has one form.
  return bytes.toString('base64') === text ? bytes : undefined;
}
