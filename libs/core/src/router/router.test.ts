import { describe, expect, it } from 'vitest';
import { errorOf, fakeProvider, lookup, testHub } from './test-fixtures';
import { integrationErrorOf } from '../testing/integration-error-of';

describe('routing', () => {
  it('serves a call from the best provider and says which', async () => {
    const hub = testHub([fakeProvider('first'), fakeProvider('second')], {
      routing: { providers: { second: { weight: 3 } } },
    });
    const result = await lookup(hub, 'a');
    expect(result).toEqual({ value: { key: 'a', servedBy: 'second' }, provider: 'second', failedAttempts: [] });
  });

  it('validates input before any provider is called', async () => {
    const provider = fakeProvider('only');
    const hub = testHub([provider]);
    const error = await integrationErrorOf(hub.execute({ capability: 'analytics', operation: 'lookup', input: { key: '' } }));
    expect(error.kind).toBe('validation');
    expect(error.message).toMatch(/Invalid input for analytics\.lookup: key:/);
    expect(provider.calls).toHaveLength(0);
  });

  it('refuses an operation no contract defines', async () => {
    const hub = testHub([fakeProvider('only')]);
    const error = await integrationErrorOf(hub.execute({ capability: 'analytics', operation: 'explode', input: {} }));
    expect(error).toMatchObject({ kind: 'unsupported', message: 'No capability contract defines analytics.explode' });
  });

  it('fails over on a provider error and records the failed attempt', async () => {
    const primary = fakeProvider('primary');
    primary.failWith(errorOf('provider', '503 from upstream'));
    const hub = testHub([primary, fakeProvider('secondary')], {
      routing: { providers: { primary: { weight: 2, retry: { retries: 0 } } } },
    });
    const result = await lookup(hub);
    expect(result.provider).toBe('secondary');
    expect(result.failedAttempts).toEqual([
      expect.objectContaining({ provider: 'primary', attempt: 1, kind: 'provider', message: '503 from upstream' }),
    ]);
  });

  it.each(['validation', 'auth', 'not_found', 'conflict'] as const)('does not fail over on %s errors', async (kind) => {
    const primary = fakeProvider('primary');
    const secondary = fakeProvider('secondary');
    primary.failWith(errorOf(kind));
    const hub = testHub([primary, secondary], { routing: { providers: { primary: { weight: 2 } } } });
    const error = await integrationErrorOf(lookup(hub));
    expect(error.kind).toBe(kind);
    expect(error.provider).toBe('primary');
    expect(secondary.calls).toHaveLength(0);
    expect(primary.calls).toHaveLength(1);
  });

  it('retries an idempotent operation on the same provider before failing over', async () => {
    const primary = fakeProvider('primary');
    primary.failWith(errorOf('network'), { times: 2 });
    const hub = testHub([primary, fakeProvider('secondary')], { routing: { providers: { primary: { weight: 2 } } } });
    const result = await lookup(hub);
    expect(result.provider).toBe('primary');
    expect(primary.calls.map((call) => call.attempt)).toEqual([1, 2, 3]);
  });

  it('never retries a non-idempotent operation without an idempotency key', async () => {
    const primary = fakeProvider('primary');
    primary.failWith(errorOf('provider'));
    const secondary = fakeProvider('secondary');
    const hub = testHub([primary, secondary], { routing: { providers: { primary: { weight: 2 } } } });
    const result = await hub.execute({ capability: 'analytics', operation: 'record', input: { event: 'signup' } });
    expect(primary.calls).toHaveLength(1);
    expect(result.provider).toBe('secondary');
  });

  it('retries a non-idempotent operation when an idempotency key is attached, and passes the key on', async () => {
    const primary = fakeProvider('primary');
    primary.failWith(errorOf('provider'), { times: 1 });
    const hub = testHub([primary]);
    await hub.execute({ capability: 'analytics', operation: 'record', input: { event: 'signup' } }, { idempotencyKey: 'signup-42' });
    expect(primary.calls.map((call) => [call.attempt, call.idempotencyKey])).toEqual([
      [1, 'signup-42'],
      [2, 'signup-42'],
    ]);
  });

  it('does not fail a non-idempotent call over after a timeout: the first provider may have done it', async () => {
    const primary = fakeProvider('primary');
    const secondary = fakeProvider('secondary');
    primary.hang();
    const hub = testHub([primary, secondary], { routing: { providers: { primary: { weight: 2, attemptTimeoutMs: 20 } } } });
    const error = await integrationErrorOf(hub.execute({ capability: 'analytics', operation: 'record', input: { event: 'x' } }));
    expect(error.kind).toBe('timeout');
    expect(secondary.calls).toHaveLength(0);
  });

  it('respects prefer and exclude', async () => {
    const hub = testHub([fakeProvider('a'), fakeProvider('b'), fakeProvider('c')], {
      routing: { providers: { a: { weight: 5 } } },
    });
    expect((await lookup(hub, 'k', { prefer: ['c'] })).provider).toBe('c');
    expect((await lookup(hub, 'k', { exclude: ['a'], prefer: ['a'] })).provider).not.toBe('a');
    expect((await lookup(hub, 'k', { only: ['b'] })).provider).toBe('b');
    const preferred = await hub.execute({ capability: 'analytics', operation: 'lookup', input: { key: 'k' } }, ['b', 'c']);
    expect(preferred.provider).toBe('b');
  });

  it('skips providers without credentials', async () => {
    const unconfigured = fakeProvider('unconfigured', { configured: false });
    const hub = testHub([unconfigured, fakeProvider('configured')], { routing: { providers: { unconfigured: { weight: 9 } } } });
    expect((await lookup(hub)).provider).toBe('configured');
    expect(unconfigured.calls).toHaveLength(0);
    const vaultless = testHub([fakeProvider('a'), fakeProvider('b')], { credentials: { has: (id) => id === 'b' } });
    expect((await lookup(vaultless)).provider).toBe('b');
  });

  it('stops at the deadline with a timeout error naming every attempt', async () => {
    // Two providers that time out fast, then one that hangs until the request's deadline; wide margins so a slow machine cannot reorder them.
    const providers = ['slow', 'slower', 'stuck'].map((id) => fakeProvider(id));
    providers.forEach((provider) => provider.hang());
    const hub = testHub(providers, {
      routing: {
        retry: { retries: 0 },
        providers: { slow: { weight: 3, attemptTimeoutMs: 20 }, slower: { weight: 2, attemptTimeoutMs: 20 }, stuck: { weight: 1 } },
      },
    });
    const startedAt = Date.now();
    const error = await integrationErrorOf(lookup(hub, 'k', { timeoutMs: 400 }));
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(400);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(error.kind).toBe('timeout');
    expect(error.attempts.map((attempt) => attempt.provider)).toEqual(['slow', 'slower', 'stuck']);
    expect(error.message).toMatch(/did not finish before its deadline; attempts: slow#1 timeout.*slower#1 timeout.*stuck#1 timeout/);
  });

  it('reports when no provider is registered for an operation', async () => {
    const hub = testHub([]);
    const error = await integrationErrorOf(lookup(hub));
    expect(error).toMatchObject({ kind: 'unsupported', message: 'No registered provider supports analytics.lookup' });
  });

  it('stops when the caller aborts', async () => {
    const provider = fakeProvider('hanging');
    provider.hang();
    const hub = testHub([provider, fakeProvider('other')], { routing: { providers: { hanging: { weight: 2 } } } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const error = await integrationErrorOf(lookup(hub, 'k', { signal: controller.signal }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/aborted by the caller/);
  });
});

describe('executeParallel', () => {
  it("'race' returns the first success and aborts the others", async () => {
    const fast = fakeProvider('fast', { latencyMs: 5 });
    const slow = fakeProvider('slow', { latencyMs: 5_000 });
    let aborted = false;
    const watched = fakeProvider('watched', {
      handle: (_request, context) =>
        new Promise((_resolve, reject) => {
          context.signal.addEventListener('abort', () => {
            aborted = true;
            reject(context.signal.reason as Error);
          });
        }),
    });
    const hub = testHub([fast, slow, watched]);
    const startedAt = Date.now();
    const result = await hub.executeParallel({ capability: 'analytics', operation: 'lookup', input: { key: 'k' } }, 3);
    expect(result.provider).toBe('fast');
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(aborted).toBe(true);
    expect(hub.metrics().slow!.failures).toBe(0);
  });

  it("'all' reports every provider's outcome", async () => {
    const broken = fakeProvider('broken');
    broken.failWith(errorOf('not_found'));
    const hub = testHub([fakeProvider('ok'), broken]);
    const outcomes = await hub.executeParallel({ capability: 'analytics', operation: 'lookup', input: { key: 'k' } }, 2, { mode: 'all' });
    expect(outcomes).toEqual(
      expect.arrayContaining([
        { provider: 'ok', status: 'fulfilled', value: { key: 'k', servedBy: 'ok' } },
        expect.objectContaining({
          provider: 'broken',
          status: 'rejected',
          error: expect.objectContaining({ kind: 'not_found' }) as unknown,
        }),
      ]),
    );
  });
});
