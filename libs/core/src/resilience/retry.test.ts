import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IntegrationError, type ErrorKind } from '../errors/integration-error';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, retryAfterFailure, type RetryOptions, type RetryPolicy } from './retry';

const noJitter: RetryPolicy = { retries: 3, minDelayMs: 100, maxDelayMs: 5_000, factor: 2, jitter: false };

function failure(kind: ErrorKind = 'network', extra: { retryAfterMs?: number; message?: string } = {}): IntegrationError {
  return new IntegrationError({ kind, message: extra.message ?? `${kind} failure`, retryAfterMs: extra.retryAfterMs });
}

function options(overrides: Partial<RetryOptions> = {}): RetryOptions {
  return { policy: noJitter, shouldRetry: (error) => error.isRetryable, ...overrides };
}

/** Runs `promise` to completion on fake timers and returns what it settled with. */
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  // The first retry imports p-retry (real I/O, not a timer): let it arrive before the fake clock runs.
  await vi.dynamicImportSettled();
  await vi.runAllTimersAsync();
  return outcome;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('retryAfterFailure', () => {
  it('makes up to `retries` more attempts, numbered from 2, and rejects with the last error', async () => {
    const seen: number[] = [];
    const errors = [
      failure('network', { message: 'second' }),
      failure('timeout', { message: 'third' }),
      failure('provider', { message: 'fourth' }),
    ];
    const outcome = await settle(
      retryAfterFailure(
        (attemptNumber) => {
          seen.push(attemptNumber);
          return Promise.reject(errors[attemptNumber - 2] ?? failure());
        },
        failure('network', { message: 'first' }),
        options(),
      ),
    );
    expect(seen).toEqual([2, 3, 4]);
    expect(outcome.error).toBe(errors[2]);
  });

  it('waits the exponential backoff between attempts', async () => {
    const startedAt: number[] = [];
    const delays: number[] = [];
    await settle(
      retryAfterFailure(
        () => {
          startedAt.push(Date.now());
          return Promise.reject(failure());
        },
        failure(),
        options({ onRetry: ({ delayMs }) => delays.push(delayMs) }),
      ),
    );
    expect(delays).toEqual([100, 200, 400]);
    expect(startedAt).toEqual([100, 300, 700]);
  });

  it('resolves with the first successful retry', async () => {
    let calls = 0;
    const outcome = await settle(
      retryAfterFailure(
        (attemptNumber) => {
          calls += 1;
          return attemptNumber === 3 ? Promise.resolve('third time lucky') : Promise.reject(failure());
        },
        failure(),
        options(),
      ),
    );
    expect(outcome.value).toBe('third time lucky');
    expect(calls).toBe(2);
  });

  it('rethrows the first error at once when it may not be retried, or when no retries are configured', async () => {
    const attempt = vi.fn(() => Promise.resolve('never'));
    const denied = failure('auth');
    await expect(retryAfterFailure(attempt, denied, options())).rejects.toBe(denied);
    const retryable = failure('network');
    await expect(retryAfterFailure(attempt, retryable, options({ policy: { ...noJitter, retries: 0 } }))).rejects.toBe(retryable);
    expect(attempt).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops at an error that may not be retried', async () => {
    const validation = failure('validation');
    const attempt = vi.fn(() => Promise.reject(validation));
    const outcome = await settle(retryAfterFailure(attempt, failure(), options()));
    expect(outcome.error).toBe(validation);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('turns anything else thrown into an IntegrationError', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const outcome = await settle(
      retryAfterFailure(() => Promise.reject(reset), failure(), options({ policy: { ...noJitter, retries: 1 } })),
    );
    expect(outcome.error).toBeInstanceOf(IntegrationError);
    expect(outcome.error).toMatchObject({ kind: 'network', message: 'socket hang up' });
  });

  it('waits for the error’s retryAfterMs when it is longer than the backoff', async () => {
    const attempt = vi.fn(() => Promise.resolve('ok'));
    const delays: number[] = [];
    const call = retryAfterFailure(
      attempt,
      failure('rate_limit', { retryAfterMs: 2_500 }),
      options({ onRetry: ({ delayMs }) => delays.push(delayMs) }),
    );
    await vi.advanceTimersByTimeAsync(2_499);
    expect(attempt).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await expect(call).resolves.toBe('ok');
    expect(delays).toEqual([2_500]);
  });

  it('throws the last error at once when the next wait would end after the deadline', async () => {
    const attempt = vi.fn(() => Promise.resolve('ok'));
    const limited = failure('rate_limit', { retryAfterMs: 5_000 });
    await expect(retryAfterFailure(attempt, limited, options({ deadline: 4_000 }))).rejects.toBe(limited);
    expect(attempt).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects promptly with the caller’s reason when the signal aborts during a wait', async () => {
    const controller = new AbortController();
    const attempt = vi.fn(() => Promise.resolve('ok'));
    const call = retryAfterFailure(attempt, failure('rate_limit', { retryAfterMs: 10_000 }), options({ signal: controller.signal }));
    const outcome = call.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('user cancelled');
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    expect(attempt).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports a caller’s TimeoutError as a timeout IntegrationError', async () => {
    const controller = new AbortController();
    const call = retryAfterFailure(() => Promise.resolve('ok'), failure(), options({ signal: controller.signal }));
    const outcome = call.catch((error: unknown) => error);
    controller.abort(new DOMException('Request timed out', 'TimeoutError'));
    await vi.runAllTimersAsync();
    expect(await outcome).toMatchObject({ name: 'IntegrationError', kind: 'timeout' });
  });

  it('rejects an invalid policy with a validation error', async () => {
    await expect(
      retryAfterFailure(() => Promise.resolve(1), failure(), options({ policy: { ...noJitter, retries: 1.5 } })),
    ).rejects.toMatchObject({ kind: 'validation', message: expect.stringContaining('retries') as unknown });
  });
});

describe('backoffDelayMs', () => {
  it('grows exponentially up to maxDelayMs without jitter', () => {
    expect([1, 2, 3, 4, 7, 8].map((retry) => backoffDelayMs(noJitter, retry))).toEqual([100, 200, 400, 800, 5_000, 5_000]);
  });

  it('draws full jitter between minDelayMs and twice the backoff, capped at maxDelayMs', () => {
    const policy = DEFAULT_RETRY_POLICY;
    expect(backoffDelayMs(policy, 1, () => 0)).toBe(100);
    expect(backoffDelayMs(policy, 1, () => 0.999_999)).toBe(200);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(450);
    expect(backoffDelayMs(policy, 10, () => 0.999_999)).toBe(5_000);
  });
});

describe('retryAfterFailure properties', () => {
  it('never waits past the deadline, honours Retry-After, and stays within the retry budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          retries: fc.integer({ min: 0, max: 4 }),
          minDelayMs: fc.integer({ min: 0, max: 300 }),
          maxDelayMs: fc.integer({ min: 0, max: 3_000 }),
          factor: fc.double({ min: 1, max: 4, noNaN: true }),
          jitter: fc.boolean(),
        }),
        fc.array(fc.option(fc.integer({ min: 0, max: 4_000 }), { nil: undefined }), { minLength: 6, maxLength: 6 }),
        fc.option(fc.integer({ min: 0, max: 8_000 }), { nil: undefined }),
        async (policy, retryAfters, deadline) => {
          vi.setSystemTime(0);
          const errors = retryAfters.map((retryAfterMs, index) => failure('rate_limit', { retryAfterMs, message: `attempt ${index + 1}` }));
          const startedAt: number[] = [0];
          const outcome = await settle(
            retryAfterFailure(
              (attemptNumber) => {
                startedAt.push(Date.now());
                return Promise.reject(errors[attemptNumber - 1] ?? failure());
              },
              errors[0] as IntegrationError,
              options({ policy, deadline }),
            ),
          );
          const attempts = startedAt.length;
          expect(attempts).toBeLessThanOrEqual(policy.retries + 1);
          expect(outcome.error).toBe(errors[attempts - 1]);
          for (let index = 1; index < attempts; index += 1) {
            const waited = (startedAt[index] as number) - (startedAt[index - 1] as number);
            expect(waited).toBeGreaterThanOrEqual(errors[index - 1]?.retryAfterMs ?? 0);
            expect(waited).toBeGreaterThanOrEqual(Math.min(policy.minDelayMs, policy.maxDelayMs));
            if (deadline !== undefined) expect(startedAt[index]).toBeLessThanOrEqual(deadline);
          }
          expect(vi.getTimerCount()).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
