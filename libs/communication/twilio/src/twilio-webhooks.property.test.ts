import { hmacSignature, IntegrationError } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTwilio } from './index';

const AUTH_TOKEN = 'twilio-fuzz-auth-token-8e4c';
const webhooks = createTwilio().webhooks;

/**
 * The string Twilio signs, computed independently of the provider: URL, then
 * name+value of each distinct parameter sorted by name (twilio-node signs a
 * repeated identical parameter once).
 */
function signedContent(url: string, parameters: readonly (readonly [string, string])[]): string {
  const distinct = new Set(parameters.map(([name, value]) => JSON.stringify([name, value])));
  const sorted = [...distinct]
    .map((pair) => JSON.parse(pair) as [string, string])
    .sort(([leftName, leftValue], [rightName, rightValue]) =>
      leftName === rightName ? (leftValue < rightValue ? -1 : leftValue > rightValue ? 1 : 0) : leftName < rightName ? -1 : 1,
    );
  return url + sorted.map(([name, value]) => name + value).join('');
}

function sign(content: string, authToken = AUTH_TOKEN): string {
  return hmacSignature({ secret: authToken, payload: content, algorithm: 'sha1', encoding: 'base64' });
}

type Parameters = (readonly [string, string])[];

/** How a genuine request is changed on its way in; `reorder` keeps its meaning, the others may not. */
type Mutation =
  | { readonly kind: 'none' }
  | { readonly kind: 'reorder' }
  | { readonly kind: 'change-value'; readonly index: number; readonly value: string }
  | { readonly kind: 'add-parameter'; readonly name: string; readonly value: string }
  | { readonly kind: 'drop-parameter'; readonly index: number }
  | { readonly kind: 'change-url'; readonly suffix: string }
  | { readonly kind: 'wrong-token'; readonly token: string }
  | { readonly kind: 'flip-signature'; readonly index: number }
  | { readonly kind: 'truncate-signature'; readonly keep: number };

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,11}$/);
const value = fc.string({ maxLength: 24, unit: 'grapheme' });
const parameters = fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 8 });
const url = fc
  .tuple(
    fc.constantFrom('https://hooks.example.com', 'https://hooks.example.com:8443', 'http://127.0.0.1:3000'),
    fc.webPath(),
    fc.option(fc.webQueryParameters(), { nil: undefined }),
  )
  .map(
    ([origin, path, query]) =>
      `${origin}${path.startsWith('/') ? path : `/${path}`}${query === undefined || query === '' ? '' : `?${query}`}`,
  );
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.constant({ kind: 'reorder' as const }),
  fc.record({ kind: fc.constant('change-value' as const), index: fc.nat(), value }),
  fc.record({ kind: fc.constant('add-parameter' as const), name, value }),
  fc.record({ kind: fc.constant('drop-parameter' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('change-url' as const), suffix: fc.constantFrom('x', '/', '?a=1', '&b=2', '#f', '%20') }),
  fc.record({ kind: fc.constant('wrong-token' as const), token: fc.string({ minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('flip-signature' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('truncate-signature' as const), keep: fc.nat() }),
);

function mutate(genuine: { url: string; parameters: Parameters; signature: string }, change: Mutation) {
  const arriving = { url: genuine.url, parameters: [...genuine.parameters], signature: genuine.signature, token: AUTH_TOKEN };
  switch (change.kind) {
    case 'none':
      break;
    case 'reorder':
      arriving.parameters.reverse();
      break;
    case 'change-value': {
      const index = change.index % arriving.parameters.length;
      arriving.parameters[index] = [arriving.parameters[index]![0], change.value];
      break;
    }
    case 'add-parameter':
      arriving.parameters.push([change.name, change.value]);
      break;
    case 'drop-parameter':
      arriving.parameters.splice(change.index % arriving.parameters.length, 1);
      break;
    case 'change-url':
      arriving.url = `${genuine.url}${change.suffix}`;
      break;
    case 'wrong-token':
      arriving.token = change.token;
      break;
    case 'flip-signature': {
      const index = change.index % genuine.signature.length;
      const character = genuine.signature[index]!;
      arriving.signature = `${genuine.signature.slice(0, index)}${character === 'A' ? 'B' : 'A'}${genuine.signature.slice(index + 1)}`;
      break;
    }
    case 'truncate-signature':
      arriving.signature = genuine.signature.slice(0, change.keep % genuine.signature.length);
      break;
  }
  return arriving;
}

describe('twilio webhook signature properties', () => {
  it('accepts exactly the requests whose signed content, signature and token are unchanged: 0 false accepts over 3000 fuzzed requests', () => {
    let falseAccepts = 0;
    let falseRejects = 0;
    let changed = 0;
    fc.assert(
      fc.property(url, parameters, mutation, (genuineUrl, genuineParameters, change) => {
        const content = signedContent(genuineUrl, genuineParameters);
        const genuine = { url: genuineUrl, parameters: genuineParameters, signature: sign(content) };
        const arriving = mutate(genuine, change);
        const body = new URLSearchParams(arriving.parameters.map(([key, entry]): [string, string] => [key, entry])).toString();
        // The oracle: same signed content, same signature, same token. Reordering or a no-op change keeps all three.
        const untouched =
          signedContent(arriving.url, arriving.parameters) === content &&
          arriving.signature === genuine.signature &&
          arriving.token === AUTH_TOKEN;
        if (!untouched) changed += 1;
        let accepted: boolean;
        try {
          webhooks.verify({ headers: { 'x-twilio-signature': arriving.signature }, rawBody: body, url: arriving.url }, arriving.token);
          accepted = true;
        } catch (error) {
          if (!IntegrationError.isInstance(error) || error.kind !== 'auth') throw error;
          accepted = false;
        }
        if (accepted && !untouched) falseAccepts += 1;
        if (!accepted && untouched) falseRejects += 1;
      }),
      { numRuns: 3000 },
    );
    expect(falseAccepts).toBe(0);
    expect(falseRejects).toBe(0);
    expect(changed).toBeGreaterThan(1500);
  });
});
