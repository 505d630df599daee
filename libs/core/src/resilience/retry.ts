import type pRetryFunction from 'p-retry';
import type { Options as PRetryOptions, RetryContext } from 'p-retry';
import { lazyModule } from '../utils/lazy-module';
import { IntegrationError, toIntegrationError } from '../errors/integration-error';
import { abortReasonToError } from './deadline';

/**
 * How often and how patiently a call is retried on the same provider.
 *
 * The wait before retry `n` (1 for the first retry) is built on the
 * exponential backoff `minDelayMs × factor^(n-1)`. Without jitter it is that
 * value, capped at `maxDelayMs` (100, 200, 400, ... by default). With jitter
 * it is **full jitter**: drawn uniformly between `minDelayMs` and twice the
 * backoff, capped at `maxDelayMs` — so the mean stays near the backoff while
 * clients that failed together spread out. An error's `retryAfterMs` wins
 * when it is longer.
 */
export interface RetryPolicy {
  /** Retries after the first failure (so up to `retries + 1` attempts). Default 2. */
  readonly retries: number;
  /** The shortest wait, and the base of the backoff, in ms. Default 100. */
  readonly minDelayMs: number;
  /** The longest backoff wait, in ms (an error's `retryAfterMs` may be longer). Default 5 000. */
  readonly maxDelayMs: number;
  /** Growth of the backoff per retry. Default 2. */
  readonly factor: number;
  /** Whether to use full jitter (see {@link RetryPolicy}). Default true. */
  readonly jitter: boolean;
}

/** The policy the router uses unless configured otherwise: 2 retries, 100 ms .. 5 s, factor 2, full jitter. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retries: 2,
  minDelayMs: 100,
  maxDelayMs: 5_000,
  factor: 2,
  jitter: true,
});

/** One {@link retryAfterFailure} call's settings. */
export interface RetryOptions {
  readonly policy: RetryPolicy;
  /**
   * Epoch ms. A retry whose wait (the backoff or the error's `retryAfterMs`,
   * whichever is longer) would end after it is not made: the last error is
   * thrown at once so the router can fail over. Default: none.
   */
  readonly deadline?: number | undefined;
  /** Aborts the waits between attempts (and stops further attempts). Default: none. */
  readonly signal?: AbortSignal | undefined;
  /** Whether this error may be retried on the same provider. */
  readonly shouldRetry: (error: IntegrationError) => boolean;
  /** Told before each wait: `attempt` is the number of the attempt about to be made (2 for the first retry). */
  readonly onRetry?: ((info: { attempt: number; delayMs: number; error: IntegrationError }) => void) | undefined;
  /** Random numbers in [0, 1) for the jitter, for tests. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The backoff wait before retry `retry` (1 for the first retry) under
 * `policy`, in whole ms, before any `retryAfterMs`; see {@link RetryPolicy}.
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const minimum = Math.min(policy.minDelayMs, policy.maxDelayMs);
  const backoff = policy.minDelayMs * policy.factor ** (retry - 1);
  if (!policy.jitter) return Math.round(Math.min(policy.maxDelayMs, backoff));
  const ceiling = Math.min(policy.maxDelayMs, Math.max(minimum, 2 * backoff));
  return Math.round(minimum + random() * (ceiling - minimum));
}

const alwaysTrue = (): boolean => true;
const doNothing = (): void => undefined;

/** p-retry options per policy, every field filled so p-retry has no defaults to apply. */
const preparedOptions = new WeakMap<RetryPolicy, PRetryOptions>();

function optionsFor(policy: RetryPolicy): PRetryOptions {
  let options = preparedOptions.get(policy);
  if (options === undefined) {
    checkPolicy(policy);
    options = Object.freeze({
      retries: policy.retries,
      // The waits are this module's (jitter, Retry-After, deadline), so p-retry schedules none.
      factor: 1,
      minTimeout: 0,
      maxTimeout: 0,
      randomize: false,
      maxRetryTime: Number.POSITIVE_INFINITY,
      unref: false,
      signal: undefined,
      onFailedAttempt: doNothing,
      shouldConsumeRetry: alwaysTrue,
      shouldRetry: alwaysTrue,
    });
    preparedOptions.set(policy, options);
  }
  return options;
}

type PRetry = typeof pRetryFunction;
/** p-retry, loaded by the first retry rather than by importing core (the success path never needs it); a failed load is retried. */
const pRetryModule = lazyModule<PRetry>(() => import('p-retry').then((module) => module.default));

/**
 * Retries a call on the same provider, after its first attempt failed with
 * `firstError` — the success path never gets here. Makes up to
 * `policy.retries` more attempts through p-retry (its options prepared once
 * per policy object; a call adds only its signal and hook), waiting the
 * backoff or the error's `retryAfterMs`, whichever is longer, between them.
 * `attempt(n)` receives the attempt number: 2, 3, ...
 *
 * Rejects with the last `IntegrationError` (anything else thrown goes
 * through `toIntegrationError`), at once when the error may not be retried,
 * the retries are used up, or the next wait would end after `deadline`.
 * When `signal` aborts, rejects at once with {@link abortReasonToError} of its
 * reason (the caller's own reason, or a `timeout` error for a TimeoutError).
 *
 * @example
 * ```ts
 * try { return await call(1); } catch (error) {
 *   return retryAfterFailure(call, toIntegrationError(error), { policy: DEFAULT_RETRY_POLICY, deadline, signal, shouldRetry: (e) => e.isRetryable });
 * }
 * ```
 */
export async function retryAfterFailure<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  firstError: IntegrationError,
  options: RetryOptions,
): Promise<T> {
  const { policy, signal } = options;
  const prepared = optionsFor(policy);
  if (policy.retries === 0 || !options.shouldRetry(firstError)) throw firstError;
  if (signal?.aborted === true) throw abortReasonToError(signal.reason);
  const random = options.random ?? Math.random;

  const input = async (attemptNumber: number): Promise<T> => {
    // p-retry's first attempt stands for the one the router already made.
    if (attemptNumber === 1) throw firstError;
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      throw toIntegrationError(error);
    }
  };

  const shouldRetry = async (context: RetryContext): Promise<boolean> => {
    const error = toIntegrationError(context.error);
    if (!options.shouldRetry(error)) return false;
    const backoff = backoffDelayMs(policy, context.attemptNumber, random);
    const delayMs = Math.min(MAX_TIMER_MS, Math.max(backoff, error.retryAfterMs ?? 0));
    if (options.deadline !== undefined && Date.now() + delayMs > options.deadline) return false;
    options.onRetry?.({ attempt: context.attemptNumber + 1, delayMs, error });
    await sleep(delayMs, signal);
    return true;
  };

  try {
    const pRetry = await pRetryModule.load();
    return await pRetry(input, { ...prepared, signal, shouldRetry });
  } catch (error) {
    if (isAborted(signal) && error === signal?.reason) throw abortReasonToError(error);
    throw toIntegrationError(error);
  }
}

/** Read through a function so TypeScript does not keep an earlier check's narrowing across awaits. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** Waits `delayMs` on one timer; rejects with the signal's reason as soon as it aborts. */
function sleep(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  if (delayMs <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function checkPolicy(policy: RetryPolicy): void {
  const problems: string[] = [];
  if (!(Number.isInteger(policy.retries) && policy.retries >= 0)) problems.push(`retries ${policy.retries} (expected a whole number ≥ 0)`);
  if (!(policy.minDelayMs >= 0 && Number.isFinite(policy.minDelayMs))) problems.push(`minDelayMs ${policy.minDelayMs} (expected ≥ 0)`);
  if (!(policy.maxDelayMs >= 0)) problems.push(`maxDelayMs ${policy.maxDelayMs} (expected ≥ 0)`);
  if (!(policy.factor > 0 && Number.isFinite(policy.factor))) problems.push(`factor ${policy.factor} (expected > 0)`);
  if (problems.length === 0) return;
  throw new IntegrationError({
    kind: 'validation',
    message: `Invalid retry policy: ${problems.join('; ')}`,
    isRetryable: false,
    details: { policy },
  });
}
