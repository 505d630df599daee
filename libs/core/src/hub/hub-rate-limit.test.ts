import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../errors/integration-error';
import { fakeProvider, lookup, testHub } from '../router/test-fixtures';

describe('hub.rateLimit()', () => {
  it('reads the token buckets without taking a token: calls left, the limit, when it is full again', async () => {
    let now = 1_000_000;
    const limited = fakeProvider('limited', { rateLimits: [{ requests: 2, intervalMs: 60_000 }] });
    const hub = testHub([limited, fakeProvider('spare')], { clock: () => now, routing: { providers: { limited: { weight: 5 } } } });

    expect(hub.rateLimit('limited')).toEqual({ provider: 'limited', allowed: true, remaining: 2, limit: 2, resetAt: now, waitMs: 0 });
    expect(hub.rateLimit('limited')?.remaining, 'reading twice takes nothing').toBe(2);
    await lookup(hub, 'a');
    expect(hub.rateLimit('limited')).toMatchObject({ allowed: true, remaining: 1, resetAt: now + 30_000 });
    await lookup(hub, 'b');
    expect(hub.rateLimit('limited')).toMatchObject({ allowed: false, remaining: 0, limit: 2, resetAt: now + 60_000, waitMs: 30_000 });
    expect((await lookup(hub, 'c')).provider, 'the router agrees: no token').toBe('spare');

    now += 30_000;
    expect(hub.rateLimit('limited')).toMatchObject({ allowed: true, remaining: 1, resetAt: now + 30_000, waitMs: 0 });
    await hub.close();
  });

  it('reports the tightest of several limits', () => {
    const hub = testHub([
      fakeProvider('two-limits', {
        rateLimits: [
          { requests: 5_000, intervalMs: 3_600_000 },
          { requests: 10, intervalMs: 1_000 },
        ],
      }),
    ]);
    expect(hub.rateLimit('two-limits')).toMatchObject({ allowed: true, remaining: 10, limit: 10 });
  });

  it('says a provider without limits is always allowed, and an unknown one is undefined', () => {
    const hub = testHub([fakeProvider('free')]);
    expect(hub.rateLimit('free')).toMatchObject({ allowed: true, remaining: Number.POSITIVE_INFINITY, waitMs: 0 });
    expect(hub.rateLimit('nobody')).toBeUndefined();
  });

  it('counts a Retry-After pause and the limit the API reported', async () => {
    const throttled = fakeProvider('throttled');
    throttled.failWith(() => new IntegrationError({ kind: 'rate_limit', message: 'slow down', statusCode: 429, retryAfterMs: 60_000 }), {
      times: 1,
    });
    let reportedResetAt = 0;
    const reporting = fakeProvider('reporting', {
      handle: (request, context) => {
        reportedResetAt = Date.now() + 30_000;
        context.reportRateLimit?.({ remaining: 250, limit: 5000, resetAt: reportedResetAt });
        return { key: (request.input as { key: string }).key, servedBy: 'reporting' };
      },
    });
    const hub = testHub([throttled, reporting], { routing: { retry: { retries: 0 }, providers: { throttled: { weight: 5 } } } });
    expect((await lookup(hub)).provider).toBe('reporting');

    const paused = hub.rateLimit('throttled');
    expect(paused).toMatchObject({ allowed: false });
    expect(paused?.waitMs).toBeGreaterThan(59_000);
    expect(paused?.resetAt).toBeGreaterThan(Date.now() + 59_000);
    expect(hub.rateLimit('reporting')).toEqual({
      provider: 'reporting',
      allowed: true,
      remaining: 250,
      limit: 5000,
      resetAt: reportedResetAt,
      waitMs: 0,
    });
  });
});
