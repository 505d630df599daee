import { describe, expect, it } from 'vitest';
import { headerValue, hmacSignature, timingSafeEqualText, verifyHmacSignature, verifyTimestampWindow } from '../index';

// GitHub's published test values, from "Validating webhook deliveries"
// (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation).
const GITHUB_SECRET = "It's a Secret to Everybody";
const GITHUB_PAYLOAD = 'Hello, World!';
const GITHUB_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

const github = { secret: GITHUB_SECRET, payload: GITHUB_PAYLOAD, algorithm: 'sha256', prefix: 'sha256=', encoding: 'hex' } as const;

describe('verifyHmacSignature', () => {
  it("verifies GitHub's published example, as text and as bytes", () => {
    expect(verifyHmacSignature({ ...github, signature: GITHUB_SIGNATURE })).toBe(true);
    expect(verifyHmacSignature({ ...github, payload: new TextEncoder().encode(GITHUB_PAYLOAD), signature: GITHUB_SIGNATURE })).toBe(true);
    expect(verifyHmacSignature({ ...github, signature: GITHUB_SIGNATURE.toUpperCase().replace('SHA256=', 'sha256=') })).toBe(true);
  });

  it("rejects GitHub's example with a changed body, secret, signature or prefix", () => {
    const lastDigitFlipped = `${GITHUB_SIGNATURE.slice(0, -1)}${GITHUB_SIGNATURE.endsWith('7') ? '6' : '7'}`;
    expect(verifyHmacSignature({ ...github, payload: 'Hello, World?', signature: GITHUB_SIGNATURE })).toBe(false);
    expect(verifyHmacSignature({ ...github, payload: 'Hello, World! ', signature: GITHUB_SIGNATURE })).toBe(false);
    expect(verifyHmacSignature({ ...github, secret: "It's a Secret to Everybody!", signature: GITHUB_SIGNATURE })).toBe(false);
    expect(verifyHmacSignature({ ...github, signature: lastDigitFlipped })).toBe(false);
    expect(verifyHmacSignature({ ...github, signature: GITHUB_SIGNATURE.slice('sha256='.length) })).toBe(false);
    expect(verifyHmacSignature({ ...github, signature: GITHUB_SIGNATURE.replace('sha256=', 'sha1=') })).toBe(false);
    expect(
      verifyHmacSignature({ ...github, algorithm: 'sha1', prefix: 'sha1=', signature: GITHUB_SIGNATURE.replace('sha256=', 'sha1=') }),
    ).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['only the prefix', 'sha256='],
    ['odd-length hex', `${GITHUB_SIGNATURE}0`],
    ['truncated hex', GITHUB_SIGNATURE.slice(0, -2)],
    ['non-hex characters', GITHUB_SIGNATURE.replace(/.$/, 'g')],
    ['hex padded with spaces', `${GITHUB_SIGNATURE} `],
    ['hex followed by garbage Buffer.from would ignore', `${GITHUB_SIGNATURE}zz`],
    ['the digest twice', `${GITHUB_SIGNATURE}${GITHUB_SIGNATURE.slice('sha256='.length)}`],
  ])('returns false, without throwing, for a %s signature', (_, signature) => {
    expect(verifyHmacSignature({ ...github, signature })).toBe(false);
  });

  it("takes only lower-case hex with digestCase: 'lower', as the senders' own verifiers do", () => {
    const upperCase = `sha256=${GITHUB_SIGNATURE.slice('sha256='.length).toUpperCase()}`;
    expect(verifyHmacSignature({ ...github, signature: upperCase, digestCase: 'lower' })).toBe(false);
    expect(verifyHmacSignature({ ...github, signature: GITHUB_SIGNATURE, digestCase: 'lower' })).toBe(true);
    expect(verifyHmacSignature({ ...github, signature: upperCase, digestCase: 'any' })).toBe(true);
    const base64 = { secret: GITHUB_SECRET, payload: GITHUB_PAYLOAD, encoding: 'base64', digestCase: 'lower' } as const;
    expect(verifyHmacSignature({ ...base64, signature: hmacSignature(base64) })).toBe(true);
  });

  it('round-trips with hmacSignature for every algorithm and encoding', () => {
    for (const algorithm of ['sha256', 'sha1'] as const) {
      for (const encoding of ['hex', 'base64'] as const) {
        const options = { secret: 'round-trip-secret', payload: '{"zen":"Design for failure."}', algorithm, encoding, prefix: 'v0=' };
        const signature = hmacSignature(options);
        expect(signature.startsWith('v0=')).toBe(true);
        expect(verifyHmacSignature({ ...options, signature })).toBe(true);
        expect(verifyHmacSignature({ ...options, payload: '{"zen":"Design for failure. "}', signature })).toBe(false);
      }
    }
  });

  it('rejects malformed base64 instead of decoding part of it', () => {
    const options = { secret: 'base64-secret', payload: 'body', encoding: 'base64' } as const;
    const signature = hmacSignature(options);
    expect(verifyHmacSignature({ ...options, signature })).toBe(true);
    expect(verifyHmacSignature({ ...options, signature: signature.replace(/=+$/, '') })).toBe(false);
    expect(verifyHmacSignature({ ...options, signature: `${signature}!!!!` })).toBe(false);
    expect(verifyHmacSignature({ ...options, signature: `${signature.slice(0, 4)} ${signature.slice(4)}` })).toBe(false);
  });

  it('accepts only the canonical base64 spelling (other padding bits decode to the same digest)', () => {
    // Twilio's documented example: a SHA-1 digest ends in one "=" and its last character carries 2 unused bits.
    const options = {
      secret: '12345',
      payload: 'https://mycompany.com/myapp.php?foo=1&bar=2',
      algorithm: 'sha1',
      encoding: 'base64',
    } as const;
    const signature = hmacSignature(options);
    const last = signature.at(-2)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const sameBytes = alphabet[alphabet.indexOf(last) ^ 1]!;
    const variant = `${signature.slice(0, -2)}${sameBytes}=`;
    expect(Buffer.from(variant, 'base64').equals(Buffer.from(signature, 'base64'))).toBe(true);
    expect(verifyHmacSignature({ ...options, signature })).toBe(true);
    expect(verifyHmacSignature({ ...options, signature: variant })).toBe(false);
  });

  it('signs with sha256 and lower-case hex by default', () => {
    expect(hmacSignature({ secret: GITHUB_SECRET, payload: GITHUB_PAYLOAD, prefix: 'sha256=' })).toBe(GITHUB_SIGNATURE);
  });
});

describe('headerValue', () => {
  it('matches names case-insensitively and takes a one-entry array', () => {
    const headers = { 'X-Hub-Signature-256': 'sha256=abc', 'x-github-event': ['issues'], 'x-empty': undefined };
    expect(headerValue(headers, 'x-hub-signature-256')).toBe('sha256=abc');
    expect(headerValue(headers, 'X-GitHub-Event')).toBe('issues');
    expect(headerValue(headers, 'X-Empty')).toBeUndefined();
    expect(headerValue(headers, 'X-Missing')).toBeUndefined();
  });

  it('rejects a header sent twice rather than picking one', () => {
    expect(headerValue({ 'x-hub-signature-256': ['sha256=aa', 'sha256=bb'] }, 'X-Hub-Signature-256')).toBeUndefined();
    expect(headerValue({ 'x-hub-signature-256': [] }, 'X-Hub-Signature-256')).toBeUndefined();
    expect(headerValue({ 'X-Hub-Signature-256': 'sha256=aa', 'x-hub-signature-256': 'sha256=bb' }, 'x-hub-signature-256')).toBeUndefined();
    expect(headerValue({ 'X-Hub-Signature-256': 'sha256=aa', 'x-hub-signature-256': 'sha256=aa' }, 'x-hub-signature-256')).toBe(
      'sha256=aa',
    );
  });
});

describe('timingSafeEqualText', () => {
  it('is equality, including for strings of different lengths and non-ASCII text', () => {
    expect(timingSafeEqualText('token-value', 'token-value')).toBe(true);
    expect(timingSafeEqualText('token-value', 'token-valu')).toBe(false);
    expect(timingSafeEqualText('token-value', 'token-value-and-more')).toBe(false);
    expect(timingSafeEqualText('', '')).toBe(true);
    expect(timingSafeEqualText('', 'x')).toBe(false);
    expect(timingSafeEqualText('naïve-tökén', 'naïve-tökén')).toBe(true);
    expect(timingSafeEqualText('naïve-tökén', 'naive-token')).toBe(false);
  });
});

describe('verifyTimestampWindow', () => {
  const now = Date.parse('2026-01-02T03:04:05.000Z');
  const nowSeconds = now / 1000;

  it('accepts timestamps within five minutes either way by default, as numbers or header digits', () => {
    expect(verifyTimestampWindow(nowSeconds, { now })).toBe(true);
    expect(verifyTimestampWindow(nowSeconds - 300, { now })).toBe(true);
    expect(verifyTimestampWindow(nowSeconds + 300, { now })).toBe(true);
    expect(verifyTimestampWindow(String(nowSeconds - 299), { now })).toBe(true);
  });

  it('rejects timestamps outside the window, and anything that is not whole epoch seconds', () => {
    expect(verifyTimestampWindow(nowSeconds - 301, { now })).toBe(false);
    expect(verifyTimestampWindow(nowSeconds + 301, { now })).toBe(false);
    expect(verifyTimestampWindow(nowSeconds - 61, { now, toleranceSeconds: 60 })).toBe(false);
    expect(verifyTimestampWindow(now, { now })).toBe(false); // milliseconds by mistake
    for (const malformed of [undefined, '', ' 1767323045', '1767323045.5', '-1', '1e9', 'abc', Number.NaN, 1767323045.5, -1]) {
      expect(verifyTimestampWindow(malformed, { now })).toBe(false);
    }
  });

  it('takes a separate limit for timestamps ahead of now, Infinity for none', () => {
    expect(verifyTimestampWindow(nowSeconds + 600, { now, futureToleranceSeconds: Number.POSITIVE_INFINITY })).toBe(true);
    expect(verifyTimestampWindow(nowSeconds + 86_400 * 365, { now, futureToleranceSeconds: Number.POSITIVE_INFINITY })).toBe(true);
    expect(verifyTimestampWindow(nowSeconds - 301, { now, futureToleranceSeconds: Number.POSITIVE_INFINITY })).toBe(false);
    expect(verifyTimestampWindow(nowSeconds + 61, { now, futureToleranceSeconds: 60 })).toBe(false);
    expect(verifyTimestampWindow(nowSeconds - 299, { now, futureToleranceSeconds: 60 })).toBe(true);
  });

  it('defaults now to the current time', () => {
    expect(verifyTimestampWindow(Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyTimestampWindow(Math.floor(Date.now() / 1000) - 3_600)).toBe(false);
  });
});
