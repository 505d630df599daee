import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter, type RateLimit } from './rate-limiter';

const limitArbitrary = fc.record({
  requests: fc.integer({ min: 1, max: 20 }),
  intervalMs: fc.integer({ min: 1, max: 5_000 }),
});

/** Steps of a timeline: move the clock, then try `attempts` calls at that instant. */
const timelineArbitrary = fc.array(fc.record({ advanceMs: fc.integer({ min: 0, max: 2_000 }), attempts: fc.integer({ min: 0, max: 5 }) }), {
  maxLength: 120,
});

/**
 * The reference model: the generic cell rate algorithm (virtual scheduling),
 * a different formulation of the same token bucket. Times are scaled by
 * `requests` so the emission interval `intervalMs / requests` is a whole number.
 */
class CellRateModel {
  readonly limit: RateLimit;
  #theoreticalArrival: number;

  constructor(limit: RateLimit, start: number) {
    this.limit = limit;
    this.#theoreticalArrival = start * limit.requests;
  }

  conforms(now: number): boolean {
    const { requests, intervalMs } = this.limit;
    return now * requests >= this.#theoreticalArrival - (requests - 1) * intervalMs;
  }

  admit(now: number): void {
    this.#theoreticalArrival = Math.max(this.#theoreticalArrival, now * this.limit.requests) + this.limit.intervalMs;
  }
}

describe('token buckets', () => {
  it('never let more than requests + span × rate calls through in any span of time', () => {
    fc.assert(
      fc.property(fc.array(limitArbitrary, { minLength: 1, maxLength: 3 }), timelineArbitrary, (limits, timeline) => {
        let now = 0;
        const limiter = new RateLimiter(limits, { now: () => now });
        const admitted: number[] = [];
        for (const step of timeline) {
          now += step.advanceMs;
          for (let attempt = 0; attempt < step.attempts; attempt += 1) if (limiter.tryTake()) admitted.push(now);
        }
        for (const limit of limits) {
          for (let first = 0; first < admitted.length; first += 1) {
            for (let last = first; last < admitted.length; last += 1) {
              const span = (admitted[last] as number) - (admitted[first] as number);
              expect(last - first + 1).toBeLessThanOrEqual(limit.requests + (span * limit.requests) / limit.intervalMs);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('admit exactly the calls the cell rate reference model admits', () => {
    fc.assert(
      fc.property(fc.array(limitArbitrary, { minLength: 1, maxLength: 3 }), timelineArbitrary, (limits, timeline) => {
        let now = 0;
        const limiter = new RateLimiter(limits, { now: () => now });
        const models = limits.map((limit) => new CellRateModel(limit, 0));
        for (const step of timeline) {
          now += step.advanceMs;
          for (let attempt = 0; attempt < step.attempts; attempt += 1) {
            const expected = models.every((model) => model.conforms(now));
            if (expected) for (const model of models) model.admit(now);
            expect(limiter.tryTake()).toBe(expected);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('let a call through exactly when waitTimeMs() says', () => {
    fc.assert(
      fc.property(fc.array(limitArbitrary, { minLength: 1, maxLength: 3 }), timelineArbitrary, (limits, timeline) => {
        let now = 0;
        const limiter = new RateLimiter(limits, { now: () => now });
        for (const step of timeline) {
          now += step.advanceMs;
          for (let attempt = 0; attempt < step.attempts; attempt += 1) {
            const wait = limiter.waitTimeMs();
            if (wait === 0) {
              expect(limiter.tryTake()).toBe(true);
              continue;
            }
            now += wait - 1;
            expect(limiter.tryTake()).toBe(false);
            now += 1;
            expect(limiter.tryTake()).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refill continuously, so a burst boundary may see up to twice the limit within one interval', () => {
    let now = 0;
    const limiter = new RateLimiter([{ requests: 4, intervalMs: 1_000 }], { now: () => now });
    let admitted = 0;
    for (; now < 1_000; now += 250) while (limiter.tryTake()) admitted += 1;
    // 4 at t=0 (the full bucket), then one per 250 ms at 250, 500 and 750.
    expect(admitted).toBe(7);
  });
});
