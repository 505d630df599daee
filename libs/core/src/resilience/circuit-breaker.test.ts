import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../errors/integration-error';
import {
  CircuitBreaker,
  type BreakerPermit,
  type BreakerStateChange,
  type CircuitBreakerOptions,
  type CircuitBreakerSnapshot,
} from './circuit-breaker';

/** A breaker on a clock the test moves, recording every state change. */
function testBreaker(options: CircuitBreakerOptions = {}, snapshot?: CircuitBreakerSnapshot) {
  const clock = { now: 1_000_000 };
  const changes: BreakerStateChange[] = [];
  const breaker = new CircuitBreaker({ now: () => clock.now, onStateChange: (change) => changes.push(change), ...options }, snapshot);
  return { breaker, clock, changes };
}

function fail(breaker: CircuitBreaker, times: number): void {
  for (let index = 0; index < times; index += 1) {
    const permit = breaker.tryAcquire();
    if (permit === false) throw new Error('expected a permit');
    breaker.recordFailure(permit);
  }
}

function succeed(breaker: CircuitBreaker, times: number): void {
  for (let index = 0; index < times; index += 1) {
    const permit = breaker.tryAcquire();
    if (permit === false) throw new Error('expected a permit');
    breaker.recordSuccess(permit);
  }
}

describe('CircuitBreaker', () => {
  it('opens after the configured number of consecutive failures and rejects calls', () => {
    const { breaker, changes } = testBreaker({ consecutiveFailures: 3 });
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(changes).toEqual([{ from: 'closed', to: 'open', reason: '3 consecutive failures' }]);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.isCallPermitted()).toBe(false);
  });

  it('starts counting consecutive failures again after a success', () => {
    const { breaker } = testBreaker({ consecutiveFailures: 3 });
    fail(breaker, 2);
    succeed(breaker, 1);
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('opens on the failure ratio once the minimum number of calls is reached', () => {
    const { breaker, changes } = testBreaker({ consecutiveFailures: 100, failureRatio: 0.5, minimumCalls: 10 });
    for (let index = 0; index < 4; index += 1) {
      succeed(breaker, 1);
      fail(breaker, 1);
    }
    succeed(breaker, 1);
    expect(breaker.state).toBe('closed');
    fail(breaker, 1); // 5 of 10 failed
    expect(breaker.state).toBe('open');
    expect(changes.at(-1)?.reason).toBe('5 of the last 10 calls failed');
  });

  it('forgets failures that slid out of the window', () => {
    const { breaker, clock } = testBreaker({ consecutiveFailures: 100, minimumCalls: 4, failureRatio: 0.5, windowMs: 10_000 });
    fail(breaker, 3);
    clock.now += 10_000;
    succeed(breaker, 3);
    fail(breaker, 1); // 1 of 4 within the window
    expect(breaker.state).toBe('closed');
  });

  it('moves to half-open lazily after the cooldown and lets exactly one probe through', () => {
    const { breaker, clock, changes } = testBreaker({ consecutiveFailures: 1, cooldownMs: 5_000 });
    fail(breaker, 1);
    clock.now += 4_999;
    expect(breaker.state).toBe('open');
    expect(breaker.cooldownRemainingMs()).toBe(1);
    clock.now += 1;
    expect(breaker.isCallPermitted()).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(changes.at(-1)).toEqual({ from: 'open', to: 'half-open', reason: 'cooldown elapsed' });
    expect(breaker.tryAcquire()).toBe('probe');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.isCallPermitted()).toBe(false);
  });

  it('closes with a fresh window when the probe succeeds', () => {
    const { breaker, clock, changes } = testBreaker({ consecutiveFailures: 2, cooldownMs: 1_000 });
    fail(breaker, 2);
    clock.now += 1_000;
    breaker.recordSuccess(breaker.tryAcquire() as BreakerPermit);
    expect(breaker.state).toBe('closed');
    expect(changes.at(-1)).toEqual({ from: 'half-open', to: 'closed', reason: 'probe succeeded' });
    fail(breaker, 1);
    expect(breaker.state).toBe('closed');
    expect(breaker.toJSON().consecutiveFailures).toBe(1);
  });

  it('reopens for a new cooldown when the probe fails', () => {
    const { breaker, clock } = testBreaker({ consecutiveFailures: 1, cooldownMs: 1_000 });
    fail(breaker, 1);
    clock.now += 1_500;
    breaker.recordFailure(breaker.tryAcquire() as BreakerPermit);
    expect(breaker.state).toBe('open');
    clock.now += 999;
    expect(breaker.tryAcquire()).toBe(false);
    clock.now += 1;
    expect(breaker.tryAcquire()).toBe('probe');
  });

  it('frees the probe slot when the probe is released without a verdict', () => {
    const { breaker, clock } = testBreaker({ consecutiveFailures: 1, cooldownMs: 0 });
    fail(breaker, 1);
    clock.now += 1;
    const probe = breaker.tryAcquire();
    expect(probe).toBe('probe');
    breaker.release(probe as BreakerPermit);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe('probe');
  });

  it('ignores results of calls that started before the circuit opened', () => {
    const { breaker, clock } = testBreaker({ consecutiveFailures: 2, cooldownMs: 1_000 });
    const early = breaker.tryAcquire() as BreakerPermit;
    fail(breaker, 2);
    clock.now += 600;
    breaker.recordFailure(early); // must not restart the cooldown
    clock.now += 400;
    expect(breaker.state).toBe('half-open');
    breaker.recordSuccess(early); // must not close the circuit without a probe
    expect(breaker.state).toBe('half-open');
  });

  it('does not count released calls', () => {
    const { breaker } = testBreaker({ consecutiveFailures: 2 });
    fail(breaker, 1);
    breaker.release(breaker.tryAcquire() as BreakerPermit);
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('restores its state from JSON', () => {
    const first = testBreaker({ consecutiveFailures: 3, cooldownMs: 10_000 });
    fail(first.breaker, 3);
    const snapshot = JSON.parse(JSON.stringify(first.breaker)) as CircuitBreakerSnapshot;
    expect(snapshot).toMatchObject({ version: 1, state: 'open', openedAt: 1_000_000, consecutiveFailures: 3 });

    const restored = testBreaker({ consecutiveFailures: 3, cooldownMs: 10_000 }, snapshot);
    restored.clock.now = 1_009_999;
    expect(restored.breaker.tryAcquire()).toBe(false);
    restored.clock.now = 1_010_000;
    expect(restored.breaker.tryAcquire()).toBe('probe');
  });

  it('keeps the window and the consecutive count across a restore', () => {
    const first = testBreaker({ consecutiveFailures: 3, minimumCalls: 6, failureRatio: 0.5 });
    succeed(first.breaker, 3);
    fail(first.breaker, 2);
    const restored = testBreaker({ consecutiveFailures: 3, minimumCalls: 6, failureRatio: 0.5 }, first.breaker.toJSON());
    fail(restored.breaker, 1); // 3 consecutive, and 3 of 6
    expect(restored.breaker.state).toBe('open');
  });

  it('restores a half-open breaker with its probe slot free', () => {
    const first = testBreaker({ consecutiveFailures: 1, cooldownMs: 0 });
    fail(first.breaker, 1);
    first.clock.now += 1;
    first.breaker.tryAcquire();
    const restored = testBreaker({}, first.breaker.toJSON());
    expect(restored.breaker.state).toBe('half-open');
    expect(restored.breaker.tryAcquire()).toBe('probe');
  });

  it('rejects invalid options with a validation error', () => {
    expect(() => new CircuitBreaker({ failureRatio: 0 })).toThrow(IntegrationError);
    expect(() => new CircuitBreaker({ consecutiveFailures: Number.NaN })).toThrow(/consecutiveFailures/);
    expect(() => new CircuitBreaker({ windowMs: 5 })).toThrow(/windowMs/);
  });
});

type Command =
  | { readonly type: 'advance'; readonly ms: number }
  | { readonly type: 'acquire' }
  | { readonly type: 'complete'; readonly pick: number; readonly outcome: 'success' | 'failure' | 'release' };

const commands: fc.Arbitrary<Command[]> = fc.array(
  fc.oneof(
    fc.record({ type: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3_000 }) }),
    fc.record({ type: fc.constant('acquire' as const) }),
    fc.record({
      type: fc.constant('complete' as const),
      pick: fc.nat(),
      outcome: fc.constantFrom('success' as const, 'failure' as const, 'release' as const),
    }),
  ),
  { maxLength: 200 },
);

describe('CircuitBreaker properties', () => {
  it('never lets two probes run at once, never permits calls during a cooldown, and opens after the consecutive limit', () => {
    fc.assert(
      fc.property(
        fc.record({
          consecutiveFailures: fc.integer({ min: 1, max: 6 }),
          failureRatio: fc.double({ min: 0.1, max: 1, noNaN: true }),
          minimumCalls: fc.integer({ min: 1, max: 20 }),
          windowMs: fc.integer({ min: 10, max: 20_000 }),
          cooldownMs: fc.integer({ min: 1, max: 5_000 }),
        }),
        commands,
        (options, script) => {
          let now = 0;
          let openUntil = Number.NEGATIVE_INFINITY;
          const breaker = new CircuitBreaker({
            ...options,
            now: () => now,
            onStateChange: ({ to }) => {
              if (to === 'open') openUntil = now + options.cooldownMs;
            },
          });
          const outstanding: BreakerPermit[] = [];
          let consecutive = 0;
          for (const command of script) {
            if (command.type === 'advance') {
              now += command.ms;
            } else if (command.type === 'acquire') {
              const permit = breaker.tryAcquire();
              if (permit === false) continue;
              expect(now).toBeGreaterThanOrEqual(openUntil);
              if (permit === 'probe') expect(outstanding).not.toContain('probe');
              outstanding.push(permit);
            } else if (outstanding.length > 0) {
              const [permit] = outstanding.splice(command.pick % outstanding.length, 1) as [BreakerPermit];
              const counted = permit === 'closed' && breaker.state === 'closed';
              if (command.outcome === 'success') breaker.recordSuccess(permit);
              else if (command.outcome === 'failure') breaker.recordFailure(permit);
              else breaker.release(permit);
              if (breaker.state === 'closed' && !counted) consecutive = 0; // a probe closed the circuit
              if (counted && command.outcome === 'success') consecutive = 0;
              if (counted && command.outcome === 'failure') {
                consecutive += 1;
                if (consecutive >= options.consecutiveFailures) expect(breaker.state).toBe('open');
              }
              if (breaker.state !== 'closed') consecutive = 0;
            }
            expect(outstanding.filter((permit) => permit === 'probe').length).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
