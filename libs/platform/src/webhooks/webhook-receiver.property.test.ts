import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSignature, IntegrationError } from '@switchyard/core';
import { githubHeaders, PLANTED_SECRET, receiverUnderTest, TEST_PROVIDER_ID } from './test-fixtures';

const encoder = new TextEncoder();

/** How a request is changed on its way in; `none` is the genuine request. */
type Mutation =
  | { readonly kind: 'none' }
  | { readonly kind: 'flip-body-byte'; readonly index: number; readonly mask: number }
  | { readonly kind: 'truncate-body'; readonly keep: number }
  | { readonly kind: 'append-bytes'; readonly bytes: readonly number[] }
  | { readonly kind: 'reserialize' }
  | { readonly kind: 'wrong-secret'; readonly secret: string }
  | { readonly kind: 'signature-of-another-body'; readonly otherBody: string }
  | { readonly kind: 'flip-signature-digit'; readonly index: number }
  | { readonly kind: 'truncate-signature'; readonly keep: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('flip-body-byte' as const), index: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate-body' as const), keep: fc.nat() }),
  fc.record({
    kind: fc.constant('append-bytes' as const),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.constant({ kind: 'reserialize' as const }),
  fc.record({ kind: fc.constant('wrong-secret' as const), secret: fc.string({ minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('signature-of-another-body' as const), otherBody: fc.json() }),
  fc.record({ kind: fc.constant('flip-signature-digit' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('truncate-signature' as const), keep: fc.nat() }),
);

/** A JSON payload as a sender might format it: compact, indented, or with tabs. */
const payload = fc
  .tuple(fc.jsonValue(), fc.constantFrom<string | number | undefined>(undefined, 2, '\t'))
  .map(([value, indent]) => JSON.stringify(value, null, indent));

function bytesOf(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}

/** Applies `change` to a genuine request (body, signature) and returns what arrives. */
function mutate(body: string, signature: string, change: Mutation): { readonly rawBody: Uint8Array | string; readonly signature: string } {
  const bytes = encoder.encode(body);
  switch (change.kind) {
    case 'none':
      return { rawBody: body, signature };
    case 'flip-body-byte': {
      const flipped = bytes.slice();
      const index = change.index % flipped.length;
      flipped[index] = flipped[index]! ^ change.mask;
      return { rawBody: flipped, signature };
    }
    case 'truncate-body':
      return { rawBody: bytes.slice(0, change.keep % bytes.length), signature };
    case 'append-bytes':
      return { rawBody: new Uint8Array([...bytes, ...change.bytes]), signature };
    case 'reserialize':
      return { rawBody: JSON.stringify(JSON.parse(body)), signature };
    case 'wrong-secret':
      return { rawBody: body, signature: hmacSignature({ secret: change.secret, payload: body, prefix: 'sha256=' }) };
    case 'signature-of-another-body':
      return { rawBody: body, signature: hmacSignature({ secret: PLANTED_SECRET, payload: change.otherBody, prefix: 'sha256=' }) };
    case 'flip-signature-digit': {
      const index = 'sha256='.length + (change.index % (signature.length - 'sha256='.length));
      const digit = signature[index]!;
      const replacement = digit === 'f' ? '0' : (parseInt(digit, 16) + 1).toString(16);
      return { rawBody: body, signature: `${signature.slice(0, index)}${replacement}${signature.slice(index + 1)}` };
    }
    case 'truncate-signature':
      return { rawBody: body, signature: signature.slice(0, change.keep % signature.length) };
  }
}

describe('webhook receiver properties', () => {
  it('never accepts a changed request and always accepts the untouched one, across 600 random payloads', async () => {
    const { receiver, events } = receiverUnderTest();
    let deliveryCounter = 0;
    let falseAccepts = 0;
    let changedRequests = 0;

    await fc.assert(
      fc.asyncProperty(payload, mutation, fc.boolean(), async (body, change, asBytes) => {
        deliveryCounter += 1;
        const deliveryId = `delivery-${deliveryCounter}`;
        const genuine = githubHeaders(body, { deliveryId });
        const signature = genuine['x-hub-signature-256'] as string;
        const arriving = mutate(body, signature, change);
        const secretChanged = change.kind === 'wrong-secret' && change.secret !== PLANTED_SECRET;
        const untouched = !secretChanged && sameBytes(bytesOf(arriving.rawBody), encoder.encode(body)) && arriving.signature === signature;

        if (!untouched) {
          changedRequests += 1;
          const outcome = await receiver
            .receive({
              provider: TEST_PROVIDER_ID,
              headers: { ...genuine, 'x-hub-signature-256': arriving.signature },
              rawBody: arriving.rawBody,
            })
            .then(
              (receipt) => receipt.outcome,
              (error: unknown) => (IntegrationError.isInstance(error) ? error.kind : 'not an IntegrationError'),
            );
          if (outcome === 'accepted') falseAccepts += 1;
          expect(outcome).toBe('auth');
        }

        const rawBody = asBytes ? encoder.encode(body) : body;
        const receipt = await receiver.receive({ provider: TEST_PROVIDER_ID, headers: genuine, rawBody });
        expect(receipt.outcome).toBe('accepted');
        if (receipt.outcome === 'accepted') expect(receipt.event.payload).toEqual(JSON.parse(body));
        expect(await receiver.receive({ provider: TEST_PROVIDER_ID, headers: genuine, rawBody })).toEqual({
          outcome: 'duplicate',
          deliveryId,
        });
      }),
      { numRuns: 600 },
    );

    expect(falseAccepts).toBe(0);
    expect(changedRequests).toBeGreaterThan(400);
    expect(JSON.stringify(events)).not.toContain(PLANTED_SECRET);
  });
});
