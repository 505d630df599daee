import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IntegrationError } from '../errors/integration-error';
import { createFakeProvider } from '../testing/fake-provider';
import { errorOf, fakeProvider, lookup, testHub } from './test-fixtures';

const runs = { numRuns: 60 };

describe('router properties', () => {
  it('never calls a provider that lacks the operation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ hasLookup: fc.boolean(), fails: fc.boolean(), weight: fc.integer({ min: 0, max: 5 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (specs) => {
          const providers = specs.map((spec, index) => {
            const provider = createFakeProvider({
              id: `p${index}`,
              capabilities: [{ name: 'analytics', version: 1, operations: spec.hasLookup ? ['lookup', 'record'] : ['record'] }],
              handle: () => ({ key: 'k', servedBy: `p${index}` }),
            });
            if (spec.fails) provider.failWith(errorOf('network'));
            return provider;
          });
          const hub = testHub(providers, {
            routing: { providers: Object.fromEntries(specs.map((spec, index) => [`p${index}`, { weight: spec.weight }])) },
          });
          await lookup(hub).catch(() => undefined);
          providers.forEach((provider, index) => {
            if (!specs[index]!.hasLookup) expect(provider.calls).toHaveLength(0);
          });
        },
      ),
      runs,
    );
  });

  it('tries candidates in score order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 1_000 }), { minLength: 2, maxLength: 6 }), async (weights) => {
        const providers = weights.map((_, index) => fakeProvider(`p${index}`));
        providers.forEach((provider) => provider.failWith(errorOf('provider')));
        const hub = testHub(providers, {
          routing: { retry: { retries: 0 }, providers: Object.fromEntries(weights.map((weight, index) => [`p${index}`, { weight }])) },
        });
        const explained = hub.explain({ capability: 'analytics', operation: 'lookup' });
        const error = (await lookup(hub).catch((caught: unknown) => caught)) as IntegrationError;
        const expectedOrder = weights
          .map((weight, index) => ({ weight, id: `p${index}` }))
          .sort((left, right) => right.weight - left.weight)
          .map((entry) => entry.id);
        expect(error.attempts.map((attempt) => attempt.provider)).toEqual(expectedOrder);
        expect(explained.candidates.map((candidate) => candidate.provider)).toEqual(expectedOrder);
        const scores = explained.candidates.map((candidate) => candidate.score!);
        expect([...scores].sort((left, right) => right - left)).toEqual(scores);
      }),
      runs,
    );
  });

  it('never calls a provider whose circuit is open', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 40 }),
        async (threshold, failures) => {
          const flaky = fakeProvider('flaky');
          const hub = testHub([flaky, fakeProvider('steady')], {
            routing: {
              retry: { retries: 0 },
              breaker: { consecutiveFailures: threshold, minimumCalls: 1_000, cooldownMs: 3_600_000 },
              providers: { flaky: { weight: 10 } },
            },
          });
          let consecutive = 0;
          let open = false;
          for (const fails of failures) {
            if (fails) flaky.failWith(errorOf('network'));
            else flaky.recover();
            const before = flaky.calls.length;
            const result = await lookup(hub);
            const called = flaky.calls.length > before;
            if (open) expect(called, 'called while open').toBe(false);
            if (called) {
              consecutive = fails ? consecutive + 1 : 0;
              if (consecutive >= threshold) open = true;
            }
            expect(result.value).toEqual({ key: 'k', servedBy: called && !fails ? 'flaky' : 'steady' });
          }
        },
      ),
      runs,
    );
  });

  it('never fails over on validation or auth errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('validation', 'auth' as const), fc.integer({ min: 2, max: 5 }), async (kind, count) => {
        const providers = Array.from({ length: count }, (_, index) => fakeProvider(`p${index}`));
        providers[0]!.failWith(errorOf(kind));
        const hub = testHub(providers, { routing: { providers: { p0: { weight: 10 } } } });
        const error = (await lookup(hub).catch((caught: unknown) => caught)) as IntegrationError;
        expect(error.kind).toBe(kind);
        expect(providers.slice(1).every((provider) => provider.calls.length === 0)).toBe(true);
      }),
      runs,
    );
  });
});
