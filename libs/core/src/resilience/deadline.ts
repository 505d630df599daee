import { IntegrationError } from '../errors/integration-error';
import { cancelDeadline, scheduleDeadline, type Expirable } from './deadline-timer';

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

/** Told when the caller's signal it waits on aborts. */
interface SignalWaiter {
  parentAborted(): void;
}

/**
 * The runs waiting on one caller's signal. Most signals have one at a time (a
 * server's per-connection signal: HTTP/1.1 serves one request at a time), so
 * the first sits in a slot and only a second makes a set; joining and leaving
 * then allocates nothing.
 */
class Waiters {
  first: SignalWaiter | undefined;
  more: Set<SignalWaiter> | undefined;

  constructor(signal: AbortSignal) {
    signal.addEventListener('abort', () => this.abortAll(), { once: true });
  }

  get size(): number {
    return (this.first === undefined ? 0 : 1) + (this.more?.size ?? 0);
  }

  add(waiter: SignalWaiter): void {
    if (this.first === undefined) this.first = waiter;
    else (this.more ??= new Set()).add(waiter);
  }

  delete(waiter: SignalWaiter): void {
    if (this.first === waiter) this.first = undefined;
    else this.more?.delete(waiter);
  }

  private abortAll(): void {
    // Each waiter settles and leaves as it is told; tell a copy.
    const all = [...(this.first === undefined ? [] : [this.first]), ...(this.more ?? [])];
    for (const waiter of all) waiter.parentAborted();
  }
}

/**
 * The runs waiting on each caller's signal. A signal gets one `abort`
 * listener, shared by every run that waits on it (a server passes one signal
 * per connection to each call made on it), and a run only joins and leaves:
 * adding and removing an EventTarget listener per call costs several times
 * more.
 */
const waiting = new WeakMap<AbortSignal, Waiters>();

function waitOn(signal: AbortSignal, waiter: SignalWaiter): void {
  let waiters = waiting.get(signal);
  if (waiters === undefined) {
    waiters = new Waiters(signal);
    waiting.set(signal, waiters);
  }
  waiters.add(waiter);
}

function stopWaitingOn(signal: AbortSignal, waiter: SignalWaiter): void {
  waiting.get(signal)?.delete(waiter);
}

/** How many calls wait on `signal` now: for tests. */
export function waitersOn(signal: AbortSignal): number {
  return waiting.get(signal)?.size ?? 0;
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
 * the promise it returns. Its methods are the shared timer's callback
 * (`expire`) and what the parent signal's shared listener calls
 * (`parentAborted`), so a call allocates this one object plus its promise. Subclasses observe the outcome through
 * {@link DeadlineRun.onSuccess} and {@link DeadlineRun.onFailure} (the router's
 * attempts do, to record stats without another promise).
 */
export class DeadlineRun<T> implements DeadlineScope, SignalWaiter, Expirable {
  readonly deadline: number | undefined;
  private readonly parent: AbortSignal | undefined;
  private readonly provider: string | undefined;
  private readonly operation: string | undefined;
  private readonly clock: (() => number) | undefined;
  private controller: AbortController | undefined;
  private aborted = false;
  private abortReason: unknown;
  /** The shared timer's tick this scope waits in; undefined when it has no deadline. */
  private tick: number | undefined;
  private budgetMs = 0;
  /** Its place in the shared timer's tick list (see deadline-timer.ts). */
  deadlineSlot = 0;
  private settled = false;
  private resolveCall: ((value: T) => void) | undefined;
  private rejectCall: ((reason: unknown) => void) | undefined;

  constructor(options: DeadlineOptions) {
    const deadline = options.deadline;
    this.deadline = deadline !== undefined && Number.isFinite(deadline) ? deadline : undefined;
    this.parent = options.signal;
    this.provider = options.provider;
    this.operation = options.operation;
    this.clock = options.now;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /**
   * Runs `task` under the deadline and the parent signal (see
   * {@link withDeadline}); call once.
   */
  run(task: (scope: this) => Promise<T>): Promise<T> {
    if (this.parent?.aborted === true) {
      this.settled = true;
      // The caller's own abort reason is passed on as it is (see abortReasonToError).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(this.onFailure(abortReasonToError(this.parent.reason, { provider: this.provider, operation: this.operation })));
    }
    const now = this.clock === undefined ? Date.now() : this.clock();
    const remainingMs = this.deadline === undefined ? Number.POSITIVE_INFINITY : this.deadline - now;
    if (remainingMs <= 0) {
      this.settled = true;
      const error = new IntegrationError({
        kind: 'timeout',
        message: 'Deadline exceeded before the call started',
        provider: this.provider,
        operation: this.operation,
      });
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(this.onFailure(error));
    }
    return new Promise<T>((resolve, reject) => {
      this.resolveCall = resolve;
      this.rejectCall = reject;
      if (remainingMs <= MAX_TIMER_MS) {
        this.budgetMs = remainingMs;
        // The shared timer runs on Date.now; a test clock only decides how much time is left.
        this.tick = scheduleDeadline(this, (this.clock === undefined ? now : Date.now()) + remainingMs);
      }
      if (this.parent !== undefined) waitOn(this.parent, this);
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

  /** Sees the task's value before the caller does; may replace it, or throw to fail the call instead. */
  protected onSuccess(value: T): T {
    return value;
  }

  /** Sees every failure (the task's, the deadline's, the parent's abort) before the caller does; returns what to reject with. */
  protected onFailure(error: unknown): unknown {
    return error;
  }

  private succeed(value: T): void {
    if (!this.finish()) return;
    let result: T;
    try {
      result = this.onSuccess(value);
    } catch (error) {
      this.rejectCall?.(this.onFailure(error));
      return;
    }
    this.resolveCall?.(result);
  }

  private fail(error: unknown): void {
    if (this.finish()) this.rejectCall?.(this.onFailure(error));
  }

  /** The deadline passed: abort the task's I/O and reject with a `timeout` error. */
  expire(): void {
    this.tick = undefined;
    const error = new IntegrationError({
      kind: 'timeout',
      message: `Deadline exceeded: the call did not finish within ${Math.round(this.budgetMs)} ms`,
      provider: this.provider,
      operation: this.operation,
    });
    this.abortWith(error);
    this.fail(error);
  }

  /** The parent signal aborted. */
  parentAborted(): void {
    const reason: unknown = this.parent?.reason;
    this.abortWith(reason);
    this.fail(abortReasonToError(reason, { provider: this.provider, operation: this.operation }));
  }

  private abortWith(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /** Leaves the shared timer and drops the listener; false if the call had already settled. */
  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.tick !== undefined) cancelDeadline(this, this.tick);
    this.tick = undefined;
    if (this.parent !== undefined) stopWaitingOn(this.parent, this);
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
  if ((deadline === undefined || !Number.isFinite(deadline)) && options.signal === undefined) {
    // With neither a deadline nor a signal, the task runs as it is.
    const scope = new DeadlineRun<T>(options);
    try {
      return task(scope);
    } catch (error) {
      // A task that throws instead of rejecting: pass on what it threw, unchanged.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(error);
    }
  }
  return new DeadlineRun<T>(options).run(task);
}
