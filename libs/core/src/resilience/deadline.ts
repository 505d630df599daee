import { IntegrationError } from '../errors/integration-error';
import { cancelDeadline, scheduleDeadline } from './deadline-timer';

/** Settings of one {@link withDeadline} call. Every field is optional. */
export interface DeadlineOptions {
  /**
   * Epoch ms by which the task must have settled. Default: none (no timer).
   * A deadline more than about 24.8 days away (setTimeout's limit) sets no timer either.
   */
  readonly deadline?: number | undefined;
  /** The caller's signal: when it aborts, so does the task's signal, and the call rejects at once. Default: none. */
  readonly signal?: AbortSignal | undefined;
  /** Recorded on the timeout error. Default: none. */
  readonly provider?: string | undefined;
  /** Recorded on the timeout error. Default: none. */
  readonly operation?: string | undefined;
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** What a task run by {@link withDeadline} receives. */
export interface DeadlineScope {
  /**
   * Aborts when the deadline passes (reason: the `timeout` IntegrationError
   * the call rejects with) or when the caller's signal aborts (its reason).
   * Created on first read, so a task that never reads it never pays for an
   * `AbortController`. Pass it to every I/O call.
   */
  readonly signal: AbortSignal;
  /** The deadline the scope enforces, in epoch ms; undefined when there is none. */
  readonly deadline: number | undefined;
}

/** The longest delay setTimeout honours; longer ones would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Turns the reason a caller's signal aborted with into what a call rejects
 * with: an `IntegrationError` stays as it is, a `TimeoutError` (e.g. from
 * `AbortSignal.timeout()`) becomes a `timeout` IntegrationError, anything
 * else — a deliberate cancellation — is returned unchanged.
 */
export function abortReasonToError(
  reason: unknown,
  context: { readonly provider?: string | undefined; readonly operation?: string | undefined } = {},
): unknown {
  if (IntegrationError.isInstance(reason)) return reason;
  const name = typeof reason === 'object' && reason !== null ? (reason as { name?: unknown }).name : undefined;
  if (name !== 'TimeoutError') return reason;
  const message = reason instanceof Error && reason.message !== '' ? reason.message : 'The caller’s signal timed out';
  return new IntegrationError({ kind: 'timeout', message, cause: reason, ...context });
}

/**
 * One call's scope: the lazily created controller, and the settle logic of
 * the promise `withDeadline` returns. Its methods are the timer callback and
 * the parent signal's listener (`handleEvent`), so a call allocates this one
 * object plus its promise.
 */
class Scope<T> implements DeadlineScope {
  readonly deadline: number | undefined;
  readonly #options: DeadlineOptions;
  #controller: AbortController | undefined;
  #aborted = false;
  #abortReason: unknown;
  /** The shared timer's tick this scope waits in; undefined when it has no deadline. */
  #tick: number | undefined;
  #budgetMs = 0;
  #settled = false;
  #resolve: ((value: T) => void) | undefined;
  #reject: ((reason: unknown) => void) | undefined;

  constructor(options: DeadlineOptions, deadline: number | undefined) {
    this.#options = options;
    this.deadline = deadline;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  /** Arms the timer and the parent listener, then runs the task. */
  start(task: (scope: DeadlineScope) => Promise<T>, remainingMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      if (remainingMs <= MAX_TIMER_MS) {
        this.#budgetMs = remainingMs;
        this.#tick = scheduleDeadline(this, Date.now() + remainingMs);
      }
      // No `once`: #finish removes the listener on every outcome, and the option object costs an allocation.
      this.#options.signal?.addEventListener('abort', this);
      let running: Promise<T>;
      try {
        running = task(this);
      } catch (error) {
        this.fail(error);
        return;
      }
      running.then(
        (value) => {
          this.succeed(value);
        },
        (error: unknown) => {
          this.fail(error);
        },
      );
    });
  }

  succeed(value: T): void {
    if (this.#finish()) this.#resolve?.(value);
  }

  fail(error: unknown): void {
    if (this.#finish()) this.#reject?.(error);
  }

  /** The deadline passed: abort the task's I/O and reject with a `timeout` error. */
  expire(): void {
    this.#tick = undefined;
    const error = new IntegrationError({
      kind: 'timeout',
      message: `Deadline exceeded: the call did not finish within ${Math.round(this.#budgetMs)} ms`,
      provider: this.#options.provider,
      operation: this.#options.operation,
    });
    this.#abort(error);
    this.fail(error);
  }

  /** The parent signal aborted (EventListener interface). */
  handleEvent(): void {
    const reason: unknown = this.#options.signal?.reason;
    this.#abort(reason);
    this.fail(abortReasonToError(reason, this.#options));
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }

  /** Leaves the shared timer and drops the listener; false if the call had already settled. */
  #finish(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    if (this.#tick !== undefined) cancelDeadline(this, this.#tick);
    this.#tick = undefined;
    this.#options.signal?.removeEventListener('abort', this);
    return true;
  }
}

/**
 * Runs `task` under a deadline and the caller's signal. Deadlines share one
 * process-wide timer (see deadline-timer.ts): a call only joins and leaves a
 * set, and fires at most 5 ms after its deadline, never before.
 *
 * - The task gets a {@link DeadlineScope}; its `signal` is created only if
 *   the task reads it, or already aborted if it is read after an abort.
 * - At `deadline` the signal aborts, so the task's I/O stops, and the call
 *   rejects with a `timeout` IntegrationError — even if the task ignores the
 *   signal (its late result is then dropped).
 * - When `signal` aborts, the task's signal aborts with the same reason and
 *   the call rejects at once with {@link abortReasonToError}(reason).
 * - A deadline already passed, or a signal already aborted, rejects without
 *   starting the task.
 * - With neither a deadline nor a signal, the task runs as it is: no timer,
 *   no listener, no extra promise.
 *
 * @example
 * ```ts
 * const body = await withDeadline(({ signal }) => pool.request({ path: '/', method: 'GET', signal }), {
 *   deadline: Date.now() + 5_000,
 *   signal: request.signal,
 *   provider: 'github',
 * });
 * ```
 */
export function withDeadline<T>(task: (scope: DeadlineScope) => Promise<T>, options: DeadlineOptions = {}): Promise<T> {
  const deadline = options.deadline;
  const parent = options.signal;
  const hasDeadline = deadline !== undefined && Number.isFinite(deadline);
  const scope = new Scope<T>(options, hasDeadline ? deadline : undefined);
  if (!hasDeadline && parent === undefined) {
    try {
      return task(scope);
    } catch (error) {
      // A task that throws instead of rejecting: pass on what it threw, unchanged.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(error);
    }
  }
  if (parent?.aborted === true) {
    // The caller's own abort reason is passed on as it is (see abortReasonToError).
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return Promise.reject(abortReasonToError(parent.reason, options));
  }
  const remainingMs = hasDeadline ? deadline - (options.now ?? Date.now)() : Number.POSITIVE_INFINITY;
  if (remainingMs <= 0) {
    return Promise.reject(
      new IntegrationError({
        kind: 'timeout',
        message: 'Deadline exceeded before the call started',
        provider: options.provider,
        operation: options.operation,
      }),
    );
  }
  return scope.start(task, remainingMs);
}
