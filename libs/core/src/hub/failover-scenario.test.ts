import { describe, expect, it } from 'vitest';
import { errorOf, fakeProvider, lookup, testHub } from '../router/test-fixtures';
import type { HubEvents } from '../events/hub-events';

describe('scenario: the primary of three providers starts failing mid-run', () => {
  it('keeps every call succeeding, starves the failed provider while its circuit is open, and lets it rejoin', async () => {
    let now = 1_000_000;
    const primary = fakeProvider('primary');
    const secondary = fakeProvider('secondary');
    const tertiary = fakeProvider('tertiary');
    const breakerChanges: HubEvents['breaker'][] = [];
    let primaryCallsWhenOpened: number | undefined;
    const failovers: HubEvents['failover'][] = [];
    const hub = testHub([primary, secondary, tertiary], {
      clock: () => now,
      routing: {
        breaker: { consecutiveFailures: 5, cooldownMs: 5_000 },
        // About failover, not speed: a latency spike on a loaded machine must not reorder the providers.
        weights: { latency: 0 },
        providers: { primary: { weight: 3 }, secondary: { weight: 2 } },
      },
      events: {
        breaker: (change) => {
          breakerChanges.push(change);
          if (change.provider === 'primary' && change.to === 'open') primaryCallsWhenOpened ??= primary.calls.length;
        },
        failover: (event) => failovers.push(event),
      },
    });
    const servedBy: string[] = [];
    const call = async (): Promise<void> => {
      const result = await lookup(hub, `key-${servedBy.length}`);
      servedBy.push(result.provider);
      now += 10;
    };

    for (let index = 0; index < 200; index += 1) await call();
    expect(servedBy.every((provider) => provider === 'primary')).toBe(true);

    primary.failWith(errorOf('provider', '503 Service Unavailable'));
    for (let index = 0; index < 2_000; index += 1) await call();
    expect(servedBy).toHaveLength(2_200);
    expect(breakerChanges).toContainEqual(expect.objectContaining({ provider: 'primary', from: 'closed', to: 'open' }));
    expect(failovers.length).toBeGreaterThan(0);
    // After the circuit opened, only the half-open probes (one per 5 s cooldown; 20 s of clock passed) reached the primary.
    const reachedAfterOpen = primary.calls.length - primaryCallsWhenOpened!;
    expect(reachedAfterOpen).toBeGreaterThan(0);
    expect(reachedAfterOpen / 2_000).toBeLessThanOrEqual(0.01);
    expect(breakerChanges.filter((change) => change.to === 'half-open').length).toBe(reachedAfterOpen);
    expect(servedBy.slice(200).every((provider) => provider !== 'primary')).toBe(true);

    primary.recover();
    now += 5_000;
    for (let index = 0; index < 50; index += 1) await call();
    expect(breakerChanges.at(-1)).toMatchObject({ provider: 'primary', to: 'closed' });
    expect(servedBy.slice(-10).every((provider) => provider === 'primary')).toBe(true);
  });
});

describe('scenario: the primary dies under concurrent calls', () => {
  it('names the network error that made the router leave in every failover event, even when the retry found the circuit open', async () => {
    // Each call's first attempt is in flight when the primary starts failing, so while one call waits to retry,
    // the others' failures open the breaker: its retry never reaches the primary.
    const primary = fakeProvider('primary', { latencyMs: 5 });
    const secondary = fakeProvider('secondary');
    const failovers: HubEvents['failover'][] = [];
    const hub = testHub([primary, secondary], {
      routing: {
        breaker: { consecutiveFailures: 3, cooldownMs: 60_000 },
        weights: { latency: 0 },
        providers: { primary: { weight: 3 } },
      },
      events: { failover: (event) => failovers.push(event) },
    });
    primary.failWith(errorOf('network', 'connect ECONNREFUSED 127.0.0.1:9'));

    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => lookup(hub, `key-${index}`)));

    expect(results.map((result) => result.provider)).toEqual(Array.from({ length: 20 }, () => 'secondary'));
    // The retries that found the circuit open are still recorded as such.
    expect(results.flatMap((result) => result.failedAttempts).map((attempt) => attempt.kind)).toContain('circuit_open');
    expect(failovers).toHaveLength(20);
    expect(failovers.map((event) => event.error)).toEqual(
      Array.from({ length: 20 }, () => ({ kind: 'network', message: 'connect ECONNREFUSED 127.0.0.1:9' })),
    );
    await hub.close();
  });
});
