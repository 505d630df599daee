import { IntegrationError } from '../errors/integration-error';
import { hmacSignature, timingSafeEqualText, verifyTimestampWindow } from './webhook-signatures';

/** A `Stripe-Signature` header, parsed by {@link parseStripeSignatureHeader}. */
export interface StripeSignatureHeader {
  /** The signed timestamp `t`, in epoch seconds. */
  readonly timestamp: number;
  /**
   * Every `v1` signature (hex HMAC-SHA256), in header order. Stripe sends one
   * per active signing secret, so two while a secret is being rolled.
   */
  readonly signatures: readonly string[];
}

/** What {@link verifyStripeSignature} takes. */
export interface VerifyStripeSignatureOptions {
  /** The endpoint's signing secret (`whsec_...`), used as it is. */
  readonly secret: string;
  /** The request body exactly as received; a string is taken as UTF-8. JSON parsed and re-serialized does not verify. */
  readonly payload: Uint8Array | string;
  /** The `Stripe-Signature` header's value (e.g. from `headerValue(headers, 'Stripe-Signature')`); `undefined` when missing. */
  readonly header: string | undefined;
  /** When the request arrived, in epoch milliseconds. Default: `Date.now()`. */
  readonly now?: number | undefined;
  /**
   * How old the signed timestamp may be, in seconds; `Number.POSITIVE_INFINITY`
   * skips the check (for replaying stored deliveries). A timestamp ahead of
   * `now` is accepted, as stripe-node does. Default: 300, stripe-node's
   * `DEFAULT_TOLERANCE`.
   */
  readonly toleranceSeconds?: number | undefined;
}

/** The scheme Stripe signs with; `v0` (test-mode signatures with a fake secret) and unknown schemes are ignored, against downgrades. */
const SCHEME = 'v1';
const DIGITS = /^\d{1,15}$/;
const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Parses a Stripe-style signature header:
 * `t=1492774577,v1=5257a869…,v1=…,v0=…` — comma-separated `key=value`
 * elements, one timestamp `t` in epoch seconds and one or more `v1`
 * signatures. Elements of other schemes are ignored.
 *
 * Throws a `validation` IntegrationError naming what is wrong when the
 * header is missing or empty, an element is not `key=value`, `t` is missing,
 * repeated or not whole seconds, or there is no `v1` signature. Stricter
 * than stripe-node's parser, which skips elements without `=`, takes the
 * last of several `t` and reads `t=12abc` as 12: the signature covers one
 * timestamp, and a header that is ambiguous about it is broken or forged.
 * Stripe's own headers parse the same either way.
 *
 * @example
 * ```ts
 * const { timestamp, signatures } = parseStripeSignatureHeader(headerValue(request.headers, 'Stripe-Signature'));
 * ```
 */
export function parseStripeSignatureHeader(header: string | undefined): StripeSignatureHeader {
  if (header === undefined || header.trim() === '') throw malformed('is missing or empty');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const element of header.split(',')) {
    const text = element.trim();
    const separator = text.indexOf('=');
    if (separator <= 0 || separator === text.length - 1) throw malformed(`has an element that is not key=value: "${text}"`);
    const key = text.slice(0, separator);
    const value = text.slice(separator + 1);
    if (key === 't') {
      if (timestamp !== undefined) throw malformed('has more than one timestamp (t=)');
      if (!DIGITS.test(value)) throw malformed(`has a timestamp that is not whole epoch seconds: t=${value}`);
      timestamp = Number(value);
    } else if (key === SCHEME) {
      signatures.push(value);
    }
  }
  if (timestamp === undefined) throw malformed('has no timestamp (t=)');
  if (signatures.length === 0) throw malformed(`has no ${SCHEME} signature`);
  return { timestamp, signatures };
}

/**
 * Verifies a Stripe-style webhook signature as stripe-node's
 * `stripe.webhooks.constructEvent` does: the HMAC-SHA256 of
 * `"<t>.<raw body>"` with the signing secret, in lower-case hex, must equal
 * one of the header's `v1` signatures (compared in constant time, so a
 * rolled secret's old and new signatures both work), and the timestamp must
 * be at most `toleranceSeconds` old (whole seconds, as stripe-node counts).
 * Returns the parsed header.
 *
 * Throws a `validation` IntegrationError for a missing or malformed header
 * (see {@link parseStripeSignatureHeader}) and an `auth` one when no
 * signature matches or the timestamp is too old; neither is retryable.
 * The body's bytes are signed as they are, where stripe-node decodes them
 * as UTF-8 first: the same for every body Stripe sends (UTF-8 JSON).
 *
 * Checked against headers built the way stripe-node's
 * `stripe.webhooks.generateTestHeaderString` builds them
 * (`t=<ts>,v1=<hex HMAC-SHA256 of "<ts>.<payload>">`) and a vector computed
 * with OpenSSL; the `stripe` package itself is not a dependency here.
 *
 * @example
 * ```ts
 * verifyStripeSignature({ secret: 'whsec_...', payload: request.rawBody, header: headerValue(request.headers, 'Stripe-Signature') });
 * ```
 */
export function verifyStripeSignature(options: VerifyStripeSignatureOptions): StripeSignatureHeader {
  const parsed = parseStripeSignatureHeader(options.header);
  const payload = typeof options.payload === 'string' ? Buffer.from(options.payload, 'utf8') : options.payload;
  const expected = hmacSignature({
    secret: options.secret,
    payload: Buffer.concat([Buffer.from(`${parsed.timestamp}.`, 'utf8'), payload]),
  });
  let matched = false;
  // Every signature is compared, so the time taken does not say which one matched.
  for (const signature of parsed.signatures) matched = timingSafeEqualText(signature, expected) || matched;
  if (!matched) throw rejected(`no ${SCHEME} signature matches the payload (is it the raw body, and the endpoint's signing secret?)`);
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = Math.floor((options.now ?? Date.now()) / 1000) * 1000;
  if (!verifyTimestampWindow(parsed.timestamp, { now, toleranceSeconds, futureToleranceSeconds: Number.POSITIVE_INFINITY })) {
    throw rejected(`the timestamp t=${parsed.timestamp} is more than ${toleranceSeconds} seconds old`);
  }
  return parsed;
}

function malformed(problem: string): IntegrationError {
  return new IntegrationError({ kind: 'validation', message: `Stripe-Signature header ${problem}`, isRetryable: false });
}

function rejected(problem: string): IntegrationError {
  return new IntegrationError({ kind: 'auth', message: `Stripe-Signature rejected: ${problem}`, isRetryable: false });
}
