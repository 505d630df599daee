import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BEARER, bearerToken } from './http/auth';
import { executeBody, quickExecuteBody } from './routes/api-routes';

/** Text made mostly of the characters that matter to the header's grammar. */
const headerText = fc
  .array(fc.constantFrom('b', 'B', 'e', 'E', 'a', 'r', 'R', ' ', '\t', '\n', '\u00a0', '\u2003', 'x', '_', '-', 'é', '\u0000'), {
    maxLength: 20,
  })
  .map((parts) => parts.join(''));

describe('bearerToken', () => {
  it('reads every header exactly as the Bearer expression does', () => {
    const header = fc.oneof(
      headerText,
      fc.string(),
      fc
        .tuple(fc.constantFrom('Bearer', 'bearer', 'BEARER', 'BeArEr', 'Bearer:', 'Basic'), headerText, fc.string(), headerText)
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(header, (text) => {
        expect(bearerToken(text)).toBe(BEARER.exec(text)?.[1]);
      }),
      { numRuns: 5_000 },
    );
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer syk_0123_abc')).toBe('syk_0123_abc');
    expect(bearerToken('bearer \t syk_0123_abc  ')).toBe('syk_0123_abc');
    expect(bearerToken('Bearer two words')).toBeUndefined();
    expect(bearerToken('Bearersyk_0123')).toBeUndefined();
  });
});

describe('quickExecuteBody', () => {
  const name = fc.oneof(
    fc.constantFrom('storage', 'headObject', ''),
    fc.string({ maxLength: 3 }),
    fc.string({ minLength: 250, maxLength: 260 }),
    fc.integer(),
  );
  const input = fc.oneof(
    { arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue()), weight: 4 },
    fc.constantFrom(null, [], [1], 'text', 3),
  );
  const extra = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    fc.record({ prefer: fc.array(fc.string()), timeoutMs: fc.integer(), other: fc.jsonValue() }, { requiredKeys: [] }),
  );
  const body = fc.oneof(
    {
      arbitrary: fc.tuple(name, name, fc.option(input, { nil: undefined }), extra).map(([capability, operation, given, more]) => ({
        capability,
        operation,
        ...(given === undefined ? {} : { input: given }),
        ...more,
      })),
      weight: 4,
    },
    { arbitrary: fc.jsonValue(), weight: 1 },
  );

  it('gives what the zod schema gives for the bodies it reads, and leaves every other body to zod', () => {
    let quick = 0;
    fc.assert(
      fc.property(body, (candidate) => {
        const read = quickExecuteBody(candidate);
        if (read === undefined) return;
        quick += 1;
        const parsed = executeBody.safeParse(candidate);
        expect(parsed.success).toBe(true);
        expect(read).toEqual(parsed.data);
      }),
      { numRuns: 5_000 },
    );
    // The property is not empty: the common shape takes the quick path.
    expect(quick).toBeGreaterThan(200);
    expect(quickExecuteBody({ capability: 'storage', operation: 'headObject', input: { bucket: 'b', key: 'k' } })).toEqual({
      capability: 'storage',
      operation: 'headObject',
      input: { bucket: 'b', key: 'k' },
    });
  });
});
