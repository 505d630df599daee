import { IntegrationError } from '../errors/integration-error';

/**
 * Where a {@link CircuitBreaker} stands: `closed` lets calls through,
 * `open` rejects them until the cooldown has passed, `half-open` lets one
 * probe call through whose outcome closes or reopens the circuit.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * What {@link CircuitBreaker.tryAcquire} hands out: `closed` for an ordinary
 * call, `probe` for the single half-open trial call. Give it back with
 * exactly one of `recordSuccess`, `recordFailure` or `release`.
 */
export type BreakerPermit = 'closed' | 'probe';

/** One state change, as {@link CircuitBreakerOptions.onStateChange} is told it. */
export interface BreakerStateChange {
  readonly from: BreakerState;
  readonly to: BreakerState;
  /** Why, for people: e.g. `5 consecutive failures`, `cooldown elapsed`, `probe succeeded`. */
  readonly reason: string;
}

/** Settings of a {@link CircuitBreaker}. Every field is optional. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  readonly consecutiveFailures?: number | undefined;
  /** Failure ratio within the window that opens the circuit, once `minimumCalls` is reached. Default 0.5. */
  readonly failureRatio?: number | undefined;
  /** Calls recorded in the window before the ratio counts. Default 20. */
  readonly minimumCalls?: number | undefined;
  /** Sliding window for the ratio, in ms, kept as 10 bucketed counters. Default 30 000. */
  readonly windowMs?: number | undefined;
  /** How long the circuit stays open before one half-open probe is allowed, in ms. Default 10 000. */
  readonly cooldownMs?: number | undefined;
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
  /**
   * Called after every state change (the breaker's state is already updated).
   * An error it throws propagates to the method that caused the change.
   */
  readonly onStateChange?: ((change: BreakerStateChange) => void) | undefined;
}

/**
 * A breaker's state as plain JSON (from {@link CircuitBreaker.toJSON}), to
 * persist and hand back to the constructor. An in-flight probe is not part of
 * it: a restored half-open breaker allows a new probe.
 */
export interface CircuitBreakerSnapshot {
  /** Format version; always 1 for now. */
  readonly version: 1;
  readonly state: BreakerState;
  /** Epoch ms when the circuit last opened; null when it never did. */
  readonly openedAt: number | null;
  readonly consecutiveFailures: number;
  /** The ratio window: `successes[i]`/`failures[i]` count bucket `bucketIndex - i` (newest first), each `bucketMs` long. */
  readonly window: {
    readonly bucketMs: number;
    readonly bucketIndex: number;
    readonly successes: readonly number[];
    readonly failures: readonly number[];
  };
}

/** Buckets the ratio window is divided into. */
const BUCKET_COUNT = 10;

/**
 * A circuit breaker for one provider and credential: opens after
 * `consecutiveFailures` failures in a row, or when the failure ratio over
 * the last `windowMs` reaches `failureRatio` (once `minimumCalls` calls were
 * recorded there); after `cooldownMs` it lets exactly one probe through.
 *
 * The closed path costs a field read and a counter update, with no timers
 * and no promises: the open → half-open move happens lazily, when the state
 * is next read. Results of `closed` permits that arrive after the circuit
 * opened are ignored: only the probe decides how a half-open circuit goes.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({ consecutiveFailures: 3, cooldownMs: 5_000 });
 * const permit = breaker.tryAcquire();
 * if (permit === false) throw new IntegrationError({ kind: 'circuit_open', message: 'github is unavailable' });
 * try { await call(); breaker.recordSuccess(permit); } catch (error) { breaker.recordFailure(permit); throw error; }
 * ```
 */
export class CircuitBreaker {
  private readonly consecutiveLimit: number;
  private readonly failureRatio: number;
  private readonly minimumCalls: number;
  private readonly bucketMs: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly onStateChange: ((change: BreakerStateChange) => void) | undefined;

  private currentState: BreakerState = 'closed';
  private openedAt: number | null = null;
  private probeInFlight = false;
  private consecutiveFailures = 0;
  /** Counters per bucket; bucket with absolute index `i` lives in slot `i % BUCKET_COUNT`. */
  private readonly successes = new Array<number>(BUCKET_COUNT).fill(0);
  private readonly failures = new Array<number>(BUCKET_COUNT).fill(0);
  private bucketIndex: number;
  private windowSuccesses = 0;
  private windowFailures = 0;

  /**
   * @param options - thresholds and clock; see {@link CircuitBreakerOptions} for defaults.
   * @param snapshot - state saved with {@link CircuitBreaker.toJSON}, to resume from.
   */
  constructor(options: CircuitBreakerOptions = {}, snapshot?: CircuitBreakerSnapshot) {
    const consecutiveFailures = options.consecutiveFailures ?? 5;
    const failureRatio = options.failureRatio ?? 0.5;
    const minimumCalls = options.minimumCalls ?? 20;
    const windowMs = options.windowMs ?? 30_000;
    const cooldownMs = options.cooldownMs ?? 10_000;
    checkOption('consecutiveFailures', consecutiveFailures, consecutiveFailures >= 1, 'at least 1');
    checkOption('failureRatio', failureRatio, failureRatio > 0 && failureRatio <= 1, 'above 0 and at most 1');
    checkOption('minimumCalls', minimumCalls, minimumCalls >= 1, 'at least 1');
    checkOption('windowMs', windowMs, windowMs >= BUCKET_COUNT, `at least ${BUCKET_COUNT}`);
    checkOption('cooldownMs', cooldownMs, cooldownMs >= 0, 'at least 0');
    this.consecutiveLimit = consecutiveFailures;
    this.failureRatio = failureRatio;
    this.minimumCalls = minimumCalls;
    this.bucketMs = windowMs / BUCKET_COUNT;
    this.cooldownMs = cooldownMs;
    this.now = options.now ?? Date.now;
    this.onStateChange = options.onStateChange;
    this.bucketIndex = Math.floor(this.now() / this.bucketMs);
    if (snapshot !== undefined) this.restore(snapshot);
  }

  /** The current state; an open circuit whose cooldown has passed reads (and becomes) `half-open`. */
  get state(): BreakerState {
    if (this.currentState === 'open' && this.now() - (this.openedAt ?? 0) >= this.cooldownMs) {
      this.changeState('half-open', 'cooldown elapsed');
    }
    return this.currentState;
  }

  /** Milliseconds until an open circuit allows a probe; 0 when it is not open. */
  cooldownRemainingMs(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, (this.openedAt ?? 0) + this.cooldownMs - this.now());
  }

  /** Whether a call may go now, without taking the probe slot: closed, or half-open with no probe in flight. */
  isCallPermitted(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half-open' && !this.probeInFlight);
  }

  /**
   * Takes permission for one call: `'closed'` means go; `'probe'` means this
   * call is the single half-open probe; `false` means rejected (open, or a
   * probe is already in flight).
   */
  tryAcquire(): BreakerPermit | false {
    const state = this.state;
    if (state === 'closed') return 'closed';
    if (state === 'half-open' && !this.probeInFlight) {
      this.probeInFlight = true;
      return 'probe';
    }
    return false;
  }

  /** The call made under `permit` succeeded. A successful probe closes the circuit with a fresh window. */
  recordSuccess(permit: BreakerPermit): void {
    if (permit === 'probe') {
      if (this.takeProbe()) {
        this.resetCounts();
        this.changeState('closed', 'probe succeeded');
      }
      return;
    }
    if (this.currentState !== 'closed') return;
    this.consecutiveFailures = 0;
    const slot = this.advance(this.now());
    this.successes[slot] = (this.successes[slot] ?? 0) + 1;
    this.windowSuccesses += 1;
  }

  /** The call made under `permit` failed in a way that says the provider is unhealthy. A failed probe reopens the circuit for a new cooldown. */
  recordFailure(permit: BreakerPermit): void {
    if (permit === 'probe') {
      if (this.takeProbe()) this.open(this.now(), 'probe failed');
      return;
    }
    if (this.currentState !== 'closed') return;
    const now = this.now();
    this.consecutiveFailures += 1;
    const slot = this.advance(now);
    this.failures[slot] = (this.failures[slot] ?? 0) + 1;
    this.windowFailures += 1;
    if (this.consecutiveFailures >= this.consecutiveLimit) {
      this.open(now, `${this.consecutiveFailures} consecutive failures`);
      return;
    }
    const calls = this.windowSuccesses + this.windowFailures;
    if (calls >= this.minimumCalls && this.windowFailures / calls >= this.failureRatio) {
      this.open(now, `${this.windowFailures} of the last ${calls} calls failed`);
    }
  }

  /**
   * Gives `permit` back without counting the call, e.g. when it failed with a
   * validation error that says nothing about the provider's health. A
   * released probe frees the slot for another one.
   */
  release(permit: BreakerPermit): void {
    if (permit === 'probe') this.takeProbe();
  }

  /** The breaker's state as plain JSON, restorable through the constructor. */
  toJSON(): CircuitBreakerSnapshot {
    const state = this.state;
    this.advance(this.now());
    const successes: number[] = [];
    const failures: number[] = [];
    for (let age = 0; age < BUCKET_COUNT; age += 1) {
      const slot = this.slotOf(this.bucketIndex - age);
      successes.push(this.successes[slot] ?? 0);
      failures.push(this.failures[slot] ?? 0);
    }
    return {
      version: 1,
      state,
      openedAt: this.openedAt,
      consecutiveFailures: this.consecutiveFailures,
      window: { bucketMs: this.bucketMs, bucketIndex: this.bucketIndex, successes, failures },
    };
  }

  /** Ends the probe in flight; false when there was none (a stale or repeated permit). */
  private takeProbe(): boolean {
    if (this.currentState !== 'half-open' || !this.probeInFlight) return false;
    this.probeInFlight = false;
    return true;
  }

  private open(now: number, reason: string): void {
    this.openedAt = now;
    this.probeInFlight = false;
    this.changeState('open', reason);
  }

  private changeState(to: BreakerState, reason: string): void {
    const from = this.currentState;
    this.currentState = to;
    this.onStateChange?.({ from, to, reason });
  }

  private slotOf(bucketIndex: number): number {
    return ((bucketIndex % BUCKET_COUNT) + BUCKET_COUNT) % BUCKET_COUNT;
  }

  /** Moves the window to `now`, emptying buckets that fell out of it; returns the current bucket's slot. */
  private advance(now: number): number {
    const index = Math.floor(now / this.bucketMs);
    // A clock that went backwards keeps counting into the newest bucket.
    if (index > this.bucketIndex) {
      const stale = Math.min(index - this.bucketIndex, BUCKET_COUNT);
      for (let step = 1; step <= stale; step += 1) {
        const slot = this.slotOf(this.bucketIndex + step);
        this.windowSuccesses -= this.successes[slot] ?? 0;
        this.windowFailures -= this.failures[slot] ?? 0;
        this.successes[slot] = 0;
        this.failures[slot] = 0;
      }
      this.bucketIndex = index;
    }
    return this.slotOf(this.bucketIndex);
  }

  private resetCounts(): void {
    this.consecutiveFailures = 0;
    this.successes.fill(0);
    this.failures.fill(0);
    this.windowSuccesses = 0;
    this.windowFailures = 0;
  }

  private restore(snapshot: CircuitBreakerSnapshot): void {
    if (snapshot.version !== 1 || !['closed', 'open', 'half-open'].includes(snapshot.state)) {
      throw new IntegrationError({
        kind: 'validation',
        message: 'Unsupported circuit breaker snapshot: expected version 1 with state closed, open or half-open',
        details: { version: snapshot.version, state: snapshot.state },
      });
    }
    this.currentState = snapshot.state;
    this.openedAt = snapshot.openedAt;
    if (this.currentState === 'open' && this.openedAt === null) this.openedAt = this.now();
    this.consecutiveFailures = Math.max(0, snapshot.consecutiveFailures);
    const window = snapshot.window;
    // Counts taken with another bucket size cannot be placed in this window.
    if (window.bucketMs !== this.bucketMs) return;
    this.bucketIndex = window.bucketIndex;
    for (let age = 0; age < BUCKET_COUNT; age += 1) {
      const slot = this.slotOf(window.bucketIndex - age);
      const successes = window.successes[age] ?? 0;
      const failures = window.failures[age] ?? 0;
      this.successes[slot] = successes;
      this.failures[slot] = failures;
      this.windowSuccesses += successes;
      this.windowFailures += failures;
    }
    this.advance(this.now());
  }
}

/** Throws a `validation` error naming the option when `valid` is false (NaN fails every comparison, so it is caught too). */
function checkOption(name: string, value: number, valid: boolean, expected: string): void {
  if (valid) return;
  throw new IntegrationError({
    kind: 'validation',
    message: `Invalid circuit breaker option ${name}: ${value} (expected a number ${expected})`,
    details: { option: name, value },
  });
}
