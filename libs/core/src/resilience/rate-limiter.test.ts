import { getEventListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntegrationError } from '../errors/integration-error';
import { localBottleneckSettings, sharedBottleneckSettings } from './rate-limit-queue';
import { RateLimiter } from './rate-limiter';

function clocked(limits: ConstructorParameters<typeof RateLimiter>[0]) {
  const clock = { now: 0 };
  return { limiter: new RateLimiter(limits, { now: () => clock.now }), clock };
}

type TimerHandle = ReturnType<typeof setTimeout>;

/** Tracks every timer started from now on (by this code or bottleneck), forgetting each once it fires or is cleared. */
function trackTimers(): Set<TimerHandle> {
  const pending = new Set<TimerHandle>();
  const originalSet = globalThis.setTimeout;
  const originalClear = globalThis.clearTimeout;
  vi.stubGlobal('setTimeout', (callback: (...parameters: unknown[]) => void, delay?: number, ...parameters: unknown[]) => {
    const handle = originalSet(
      (...inner: unknown[]) => {
        pending.delete(handle);
        callback(...inner);
      },
      delay,
      ...parameters,
    );
    pending.add(handle);
    return handle;
  });
  vi.stubGlobal('clearTimeout', (handle?: TimerHandle) => {
    if (handle !== undefined) pending.delete(handle);
    originalClear(handle);
  });
  return pending;
}

const limiters: RateLimiter[] = [];
/** A limiter on the real clock (for the bottleneck slow path), disconnected after the test. */
function realLimiter(...parameters: ConstructorParameters<typeof RateLimiter>): RateLimiter {
  const limiter = new RateLimiter(...parameters);
  limiters.push(limiter);
  return limiter;
}

afterEach(async () => {
  await Promise.all(limiters.splice(0).map((limiter) => limiter.disconnect()));
  vi.unstubAllGlobals();
});

describe('RateLimiter fast path', () => {
  it('always allows when there are no limits', () => {
    const limiter = new RateLimiter([]);
    for (let index = 0; index < 1_000; index += 1) expect(limiter.tryTake()).toBe(true);
    expect(limiter.headroom()).toBe(1);
    expect(limiter.waitTimeMs()).toBe(0);
  });

  it('allows a burst of `requests`, then one call per refilled token', () => {
    const { limiter, clock } = clocked([{ requests: 3, intervalMs: 300 }]);
    expect([limiter.tryTake(), limiter.tryTake(), limiter.tryTake(), limiter.tryTake()]).toEqual([true, true, true, false]);
    expect(limiter.waitTimeMs()).toBe(100);
    clock.now = 99;
    expect(limiter.tryTake()).toBe(false);
    clock.now = 100;
    expect(limiter.tryTake()).toBe(true);
    expect(limiter.tryTake()).toBe(false);
  });

  it('needs a token from every limit', () => {
    const { limiter, clock } = clocked([
      { requests: 10, intervalMs: 1_000 },
      { requests: 2, intervalMs: 10_000 },
    ]);
    expect(limiter.tryTake()).toBe(true);
    expect(limiter.tryTake()).toBe(true);
    expect(limiter.tryTake()).toBe(false);
    expect(limiter.waitTimeMs()).toBe(5_000);
    clock.now = 5_000;
    expect(limiter.tryTake()).toBe(true);
  });

  it('reports headroom as the lowest fraction of tokens left', () => {
    const { limiter, clock } = clocked([
      { requests: 4, intervalMs: 400 },
      { requests: 100, intervalMs: 1_000 },
    ]);
    expect(limiter.headroom()).toBe(1);
    limiter.tryTake();
    expect(limiter.headroom()).toBe(0.75);
    limiter.tryTake();
    limiter.tryTake();
    limiter.tryTake();
    expect(limiter.headroom()).toBe(0);
    clock.now = 200;
    expect(limiter.headroom()).toBe(0.5);
  });

  it('stops everything for the pause a provider asked for, then lets one call through and refills at the usual rate', () => {
    const { limiter, clock } = clocked([{ requests: 10, intervalMs: 1_000 }]);
    limiter.pause(2_000);
    expect(limiter.tryTake()).toBe(false);
    expect(limiter.headroom()).toBe(0);
    expect(limiter.waitTimeMs()).toBe(2_000);
    clock.now = 1_999;
    expect(limiter.tryTake()).toBe(false);
    clock.now = 2_000;
    expect(limiter.tryTake()).toBe(true);
    expect(limiter.tryTake()).toBe(false);
    expect(limiter.waitTimeMs()).toBe(100);
  });

  it('never lets a shorter pause cut a longer one short', () => {
    const { limiter, clock } = clocked([{ requests: 10, intervalMs: 1_000 }]);
    limiter.pause(5_000);
    limiter.pause(1_000);
    clock.now = 4_000;
    expect(limiter.tryTake()).toBe(false);
    expect(limiter.waitTimeMs()).toBe(1_000);
  });

  it('honours a pause even without limits', () => {
    const { limiter, clock } = clocked([]);
    limiter.pause(500);
    expect(limiter.tryTake()).toBe(false);
    expect(limiter.waitTimeMs()).toBe(500);
    clock.now = 500;
    expect(limiter.tryTake()).toBe(true);
    expect(limiter.tryTake()).toBe(true);
  });

  it('rejects invalid limits with a validation error', () => {
    expect(() => new RateLimiter([{ requests: 0, intervalMs: 1_000 }])).toThrow(IntegrationError);
    expect(() => new RateLimiter([{ requests: 1, intervalMs: Number.NaN }])).toThrow(/Invalid rate limit/);
  });
});

describe('RateLimiter slow path (bottleneck, real time)', () => {
  it('runs a call at once when a token is there', async () => {
    const limiter = realLimiter([{ requests: 1, intervalMs: 1_000 }]);
    await expect(limiter.schedule(() => Promise.resolve('done'))).resolves.toBe('done');
  });

  it('runs waiting calls in arrival order, no faster than the limit, and keeps new calls from overtaking', async () => {
    const limiter = realLimiter([{ requests: 2, intervalMs: 40 }]);
    const startedAt = performance.now();
    expect(limiter.tryTake() && limiter.tryTake()).toBe(true);
    const started: { index: number; at: number }[] = [];
    const calls = [0, 1, 2].map((index) =>
      limiter.schedule(() => {
        started.push({ index, at: performance.now() - startedAt });
        return Promise.resolve(index);
      }),
    );
    expect(limiter.tryTake()).toBe(false);
    await expect(Promise.all(calls)).resolves.toEqual([0, 1, 2]);
    expect(started.map((start) => start.index)).toEqual([0, 1, 2]);
    // One token per 20 ms after the burst of two; allow 1 ms for timer rounding.
    started.forEach((start, position) => expect(start.at).toBeGreaterThanOrEqual(20 * (position + 1) - 1));
  });

  it('gives up the slot at once when the caller aborts, without running the task', async () => {
    const limiter = realLimiter([{ requests: 1, intervalMs: 10_000 }]);
    limiter.tryTake();
    const controller = new AbortController();
    let ran = false;
    const waiting = limiter.schedule(() => {
      ran = true;
      return Promise.resolve();
    }, controller.signal);
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 5);
    const abortedAt = performance.now();
    await expect(waiting).rejects.toBe(reason);
    expect(performance.now() - abortedAt).toBeLessThan(1_000);
    expect(ran).toBe(false);
  });

  it('moves the calls behind an aborted one up to its slot, leaving no timer behind', async () => {
    const timers = trackTimers();
    const limiter = realLimiter([{ requests: 1, intervalMs: 100 }]);
    const startedAt = performance.now();
    limiter.tryTake();
    limiter.pause(300);
    const controller = new AbortController();
    const first = limiter.schedule(() => Promise.resolve('first'), controller.signal);
    const second = limiter.schedule(() => Promise.resolve(performance.now() - startedAt));
    await sleep(150); // both have booked: the first for 300 ms, the second for 400 ms
    controller.abort(new Error('stop'));
    await expect(first).rejects.toThrow('stop');
    const secondStartedAt = await second;
    expect(secondStartedAt).toBeGreaterThanOrEqual(299);
    expect(secondStartedAt).toBeLessThan(380);
    await sleep(20); // bottleneck's own 0 ms steps after a job
    expect(timers.size).toBe(0);
  });

  it('rejects at once, without running the task, when the signal is already aborted', async () => {
    const limiter = realLimiter([{ requests: 1, intervalMs: 1_000 }]);
    let ran = false;
    const reason = new Error('already aborted');
    await expect(
      limiter.schedule(() => {
        ran = true;
        return Promise.resolve();
      }, AbortSignal.abort(reason)),
    ).rejects.toBe(reason);
    expect(ran).toBe(false);
  });

  it('holds waiting calls until a pause ordered while they wait is over', async () => {
    const limiter = realLimiter([{ requests: 1, intervalMs: 10 }]);
    limiter.tryTake();
    const startedAt = performance.now();
    const waiting = limiter.schedule(() => Promise.resolve(performance.now() - startedAt));
    limiter.pause(60);
    await expect(waiting).resolves.toBeGreaterThanOrEqual(59);
  });

  it('passes on the task’s own result and error', async () => {
    const limiter = realLimiter([{ requests: 1, intervalMs: 20 }]);
    limiter.tryTake();
    const failure = new IntegrationError({ kind: 'provider', message: 'boom' });
    await expect(limiter.schedule(() => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('rejects waiting calls on disconnect and leaves no timers behind', async () => {
    const timers = trackTimers();
    const limiter = new RateLimiter([{ requests: 1, intervalMs: 10_000 }]);
    limiter.tryTake();
    const caller = new AbortController();
    const waiting = limiter.schedule(() => Promise.resolve(), caller.signal);
    await sleep(20); // let bottleneck start the job, which then sleeps on its timer
    expect(timers.size).toBeGreaterThan(0);
    await limiter.disconnect();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    await expect(waiting).rejects.toMatchObject({ kind: 'rate_limit', message: expect.stringMatching(/disconnected/) as unknown });
    await sleep(20);
    expect(timers.size).toBe(0);
    await expect(limiter.schedule(() => Promise.resolve())).rejects.toMatchObject({ kind: 'rate_limit' });
  });
});

describe('RateLimiter shared through Redis', () => {
  it('sends every call through bottleneck', () => {
    const limiter = new RateLimiter([{ requests: 100, intervalMs: 1_000 }], { shared: { id: 'github' } });
    expect(limiter.shared).toBe(true);
    expect(limiter.tryTake()).toBe(false);
    expect(limiter.waitTimeMs()).toBe(0);
  });

  it('explains which package to install when the Redis client is missing', async () => {
    const limiter = new RateLimiter([{ requests: 100, intervalMs: 1_000 }], { shared: { id: 'github', datastore: 'ioredis' } });
    await expect(limiter.schedule(() => Promise.resolve())).rejects.toMatchObject({
      kind: 'unsupported',
      message: expect.stringContaining('ioredis') as unknown,
    });
    await limiter.disconnect();
  });

  it('configures one reservoir per limit that refills like the local bucket', () => {
    const settings = sharedBottleneckSettings(
      [
        { requests: 5_000, intervalMs: 3_600_000 },
        { requests: 10, intervalMs: 1_000 },
      ],
      { id: 'github', datastore: 'redis', clientOptions: { url: 'redis://cache:6379' }, bottleneck: { clearDatastore: true } },
    );
    expect(settings).toEqual([
      expect.objectContaining({
        id: 'github:5000/3600000',
        datastore: 'redis',
        clientOptions: { url: 'redis://cache:6379' },
        reservoir: 5_000,
        reservoirIncreaseAmount: 1,
        reservoirIncreaseInterval: 720,
        reservoirIncreaseMaximum: 5_000,
        heartbeatInterval: 720,
        clearDatastore: true,
      }),
      expect.objectContaining({ id: 'github:10/1000', reservoir: 10, reservoirIncreaseInterval: 100, heartbeatInterval: 100 }),
    ]);
  });

  it('spaces local bottleneck jobs by the fastest limit’s token interval', () => {
    expect(
      localBottleneckSettings([
        { requests: 10, intervalMs: 1_000 },
        { requests: 5_000, intervalMs: 3_600_000 },
      ]),
    ).toMatchObject({
      maxConcurrent: null,
      minTime: 100,
    });
  });
});
