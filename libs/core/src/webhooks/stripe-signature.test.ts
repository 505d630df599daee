import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseStripeSignatureHeader, verifyStripeSignature } from '../index';
import { integrationErrorOf } from '../testing/integration-error-of';

// The `stripe` package is not a dependency, so headers are built as its
// `stripe.webhooks.generateTestHeaderString` builds them (src/Webhooks.ts):
// `t=<timestamp>,<scheme>=<hex HMAC-SHA256 of "<timestamp>.<payload>">`, scheme `v1`.
function generateTestHeaderString(options: { payload: string; secret: string; timestamp: number; scheme?: string }): string {
  const signature = createHmac('sha256', options.secret).update(`${options.timestamp}.${options.payload}`, 'utf8').digest('hex');
  return `t=${options.timestamp},${options.scheme ?? 'v1'}=${signature}`;
}

const SECRET = 'whsec_switchyard_test_secret';
const PAYLOAD = '{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","type":"payment_intent.succeeded"}';
const TIMESTAMP = 1492774577;
const NOW = TIMESTAMP * 1000;
// Computed independently: printf '%s' "1492774577.$PAYLOAD" | openssl dgst -sha256 -hmac whsec_switchyard_test_secret
const OPENSSL_SIGNATURE = '4404f2e31e53b8a91fcdbc9730bee86a6ce873f1591d8f896cbe5dfd289e7563';

/** The IntegrationError a synchronous call throws. */
const thrownBy = (call: () => unknown) => integrationErrorOf(Promise.resolve().then(call));

const verify = (header: string | undefined, changes: Partial<Parameters<typeof verifyStripeSignature>[0]> = {}) =>
  verifyStripeSignature({ secret: SECRET, payload: PAYLOAD, header, now: NOW, ...changes });

describe('parseStripeSignatureHeader', () => {
  it("reads Stripe's documented example: the timestamp and every v1 signature, ignoring v0", () => {
    const header =
      't=1492774577,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd,' +
      'v1=6ffbb59b2300aadb63f6fd5f4ef5f8e6a8b0d8c0f1c7c27d3f2b9f84e4a9c7f5,v0=6ffbb59b2300aadb63f6fd5f4ef5f8e6a8b0d8c0f1c7c27d3f2b9f84e4a9c7f5';
    expect(parseStripeSignatureHeader(header)).toEqual({
      timestamp: 1492774577,
      signatures: [
        '5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
        '6ffbb59b2300aadb63f6fd5f4ef5f8e6a8b0d8c0f1c7c27d3f2b9f84e4a9c7f5',
      ],
    });
  });

  it('ignores unknown schemes and spaces around elements', () => {
    expect(parseStripeSignatureHeader(' v2=abc , t=12,v1=def,x-future=1 ')).toEqual({ timestamp: 12, signatures: ['def'] });
  });

  it.each([
    ['missing', undefined, /missing or empty/],
    ['empty', '', /missing or empty/],
    ['without a timestamp', 'v1=abc', /no timestamp/],
    ['without a v1 signature', 't=1492774577,v0=abc', /no v1 signature/],
    ['with two timestamps', 't=1492774577,t=1492774578,v1=abc', /more than one timestamp/],
    ['with a timestamp that is not whole seconds', 't=1492774577.5,v1=abc', /not whole epoch seconds: t=1492774577\.5/],
    ['with a timestamp followed by garbage', 't=12abc,v1=abc', /not whole epoch seconds/],
    ['with an element that is not key=value', 't=1492774577,v1', /not key=value: "v1"/],
    ['with an empty value', 't=1492774577,v1=', /not key=value/],
    ['with an empty element', 't=1492774577,,v1=abc', /not key=value/],
  ])('refuses a header %s with a validation error saying why', async (_, header, message) => {
    const error = await thrownBy(() => parseStripeSignatureHeader(header));
    expect(error.kind).toBe('validation');
    expect(error.isRetryable).toBe(false);
    expect(error.message).toMatch(/^Stripe-Signature header /);
    expect(error.message).toMatch(message);
  });
});

describe('verifyStripeSignature', () => {
  it('accepts a header built as stripe-node builds test headers, and a vector computed with OpenSSL', () => {
    const header = generateTestHeaderString({ payload: PAYLOAD, secret: SECRET, timestamp: TIMESTAMP });
    expect(header).toBe(`t=${TIMESTAMP},v1=${OPENSSL_SIGNATURE}`);
    expect(verify(header)).toEqual({ timestamp: TIMESTAMP, signatures: [OPENSSL_SIGNATURE] });
    expect(verify(header, { payload: new TextEncoder().encode(PAYLOAD) }).timestamp).toBe(TIMESTAMP);
  });

  it('accepts any of several v1 signatures, as while a signing secret is rolled', () => {
    const old = generateTestHeaderString({ payload: PAYLOAD, secret: 'whsec_old_secret', timestamp: TIMESTAMP });
    const current = generateTestHeaderString({ payload: PAYLOAD, secret: SECRET, timestamp: TIMESTAMP });
    const testMode = generateTestHeaderString({ payload: PAYLOAD, secret: 'whsec_fake', timestamp: TIMESTAMP, scheme: 'v0' });
    const header = `${old},${current.split(',')[1]},${testMode.split(',')[1]}`;
    expect(verify(header).signatures).toHaveLength(2);
  });

  it.each([
    ['a changed body', { payload: `${PAYLOAD} ` }],
    ['another secret', { secret: `${SECRET}x` }],
    ['re-serialized JSON', { payload: JSON.stringify(JSON.parse(PAYLOAD), null, 2) }],
  ])('rejects %s with an auth error', async (_, changes) => {
    const header = generateTestHeaderString({ payload: PAYLOAD, secret: SECRET, timestamp: TIMESTAMP });
    const error = await thrownBy(() => verify(header, changes));
    expect(error).toMatchObject({ kind: 'auth', isRetryable: false });
    expect(error.message).toMatch(/no v1 signature matches the payload/);
  });

  it('rejects a signature moved to another timestamp, an upper-case digest and a digest only under v0', async () => {
    const signature = OPENSSL_SIGNATURE;
    for (const header of [`t=${TIMESTAMP + 1},v1=${signature}`, `t=${TIMESTAMP},v1=${signature.toUpperCase()}`]) {
      expect((await thrownBy(() => verify(header, { toleranceSeconds: Number.POSITIVE_INFINITY }))).kind).toBe('auth');
    }
    expect((await thrownBy(() => verify(`t=${TIMESTAMP},v0=${signature}`))).kind).toBe('validation');
  });

  it('accepts a timestamp up to 300 s old by default, in whole seconds as stripe-node counts, and any future one', async () => {
    const header = generateTestHeaderString({ payload: PAYLOAD, secret: SECRET, timestamp: TIMESTAMP });
    expect(verify(header, { now: NOW + 300_999 }).timestamp).toBe(TIMESTAMP);
    const stale = await thrownBy(() => verify(header, { now: NOW + 301_000 }));
    expect(stale).toMatchObject({ kind: 'auth', message: expect.stringMatching(/more than 300 seconds old/) as unknown });
    expect(verify(header, { now: NOW - 3_600_000 }).timestamp).toBe(TIMESTAMP);
    expect(verify(header, { now: NOW + 10_000, toleranceSeconds: 10 }).timestamp).toBe(TIMESTAMP);
    expect((await thrownBy(() => verify(header, { now: NOW + 11_000, toleranceSeconds: 10 }))).kind).toBe('auth');
    expect(verify(header, { now: NOW + 86_400_000 * 365, toleranceSeconds: Number.POSITIVE_INFINITY }).timestamp).toBe(TIMESTAMP);
  });

  it('refuses a missing header with a validation error before computing anything', async () => {
    expect(await thrownBy(() => verify(undefined))).toMatchObject({ kind: 'validation' });
  });
});
