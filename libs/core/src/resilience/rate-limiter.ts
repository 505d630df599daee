import { RateLimitQueue, type SharedRateLimitOptions, type SlotSource } from './rate-limit-queue';
import { TokenBucket, type RateLimit } from './token-bucket';

export type { RateLimit } from './token-bucket';
export type { SharedRateLimitOptions } from './rate-limit-queue';

/** Settings of a {@link RateLimiter}. Every field is optional. */
export interface RateLimiterOptions {
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
  /**
   * Share the limits with other processes through bottleneck's Redis
   * datastore. When set, every call goes through bottleneck (and Redis):
   * {@link RateLimiter.tryTake} always answers false, so the router takes the
   * {@link RateLimiter.schedule} path. The host must install the Redis client
   * (see {@link SharedRateLimitOptions}). Default: limits are per process.
   */
  readonly shared?: SharedRateLimitOptions | undefined;
  /** Told about errors bottleneck reports outside any call (e.g. a lost Redis connection). Default: ignored. */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** What {@link RateLimiter.status} reads: the tightest limit now. */
export interface RateLimiterStatus {
  /** Whole calls the tightest limit allows now before throttling: 0 while paused; `Infinity` without limits. */
  readonly remaining: number;
  /** That limit's `requests` per interval; `Infinity` without limits. */
  readonly limit: number;
  /** Epoch ms at which every limit is full again and any pause is over (now when they are). */
  readonly resetAt: number;
  /** Milliseconds until a new call could go, as {@link RateLimiter.waitTimeMs}. */
  readonly waitMs: number;
}

/**
 * Client-side throttling for one provider and credential: one token bucket
 * per {@link RateLimit} (capacity `requests`, refilled continuously at
 * `requests / intervalMs`), all of which must have a token for a call to go.
 * With no limits it always allows (unless the provider asked for a pause).
 *
 * The fast path, {@link RateLimiter.tryTake}, is a clock read and a few
 * arithmetic operations: no timers, no promises. Only a call that finds no
 * token waits, through {@link RateLimiter.schedule}: in arrival order, on a
 * bottleneck queue created on first use, each waiting call booking the next
 * free token so the queue drains exactly at the allowed rate. While calls
 * wait, `tryTake` answers false, so new calls cannot overtake them.
 *
 * Guarantee: in any span of `w` ms at most `requests + w × requests / intervalMs`
 * calls go (a full bucket plus its refill). In particular a token bucket may
 * allow up to about `2 × requests` calls within one `intervalMs` at a burst
 * boundary; a provider that enforces a strict sliding window answers the
 * excess with 429, which {@link RateLimiter.pause} absorbs.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter([{ requests: 5_000, intervalMs: 3_600_000 }, { requests: 10, intervalMs: 1_000 }]);
 * const result = limiter.tryTake() ? await call() : await limiter.schedule(call, signal);
 * ```
 */
export class RateLimiter {
  private readonly limits: readonly RateLimit[];
  private readonly buckets: readonly TokenBucket[];
  private readonly now: () => number;
  private readonly sharedOptions: SharedRateLimitOptions | undefined;
  private readonly onError: ((error: unknown) => void) | undefined;
  /** Epoch ms until which the provider asked for no calls; 0 when it never did. */
  private pausedUntil = 0;
  private queue: RateLimitQueue | undefined;

  /**
   * @param limits - every limit a call must fit in; empty means no limit.
   * @param options - clock, and Redis sharing; see {@link RateLimiterOptions}.
   */
  constructor(limits: readonly RateLimit[], options: RateLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    const start = this.now();
    this.limits = limits.map((limit) => ({ requests: limit.requests, intervalMs: limit.intervalMs }));
    this.buckets = this.limits.map((limit) => new TokenBucket(limit, start));
    this.sharedOptions = limits.length > 0 ? options.shared : undefined;
    this.onError = options.onError;
  }

  /** Whether the limits are shared through Redis (then every call goes through {@link RateLimiter.schedule}). */
  get shared(): boolean {
    return this.sharedOptions !== undefined;
  }

  /**
   * The fast path: takes a token from every limit's bucket if all of them have
   * one, and answers whether the call may go now. False while paused, while
   * other calls wait in {@link RateLimiter.schedule}, and always when shared.
   */
  tryTake(): boolean {
    if (this.sharedOptions !== undefined) return false;
    if (this.queue !== undefined && this.queue.size > 0) return false;
    if (this.buckets.length === 0 && this.pausedUntil === 0) return true;
    const now = this.now();
    if (now < this.pausedUntil) return false;
    for (const bucket of this.buckets) {
      if (!bucket.hasToken(now)) return false;
    }
    for (const bucket of this.buckets) bucket.take();
    return true;
  }

  /**
   * The lowest fraction of tokens left across limits, 0..1 (1 untouched, 0
   * empty or paused), for scoring. When shared, it reflects only this
   * process's own calls.
   */
  headroom(): number {
    if (this.buckets.length === 0 && this.pausedUntil === 0) return 1;
    const now = this.now();
    if (now < this.pausedUntil) return 0;
    let lowest = 1;
    for (const bucket of this.buckets) lowest = Math.min(lowest, bucket.fractionLeft(now));
    return lowest;
  }

  /**
   * Milliseconds until a new call could go (0 if now): the time until every
   * bucket has a token for it after the calls already waiting, and until a
   * provider-imposed pause ends. When shared, only the pause is known
   * locally, so this is a lower bound.
   */
  waitTimeMs(): number {
    const now = this.now();
    let readyAt = this.pausedUntil;
    if (this.sharedOptions === undefined) {
      const tokens = 1 + (this.queue?.unbooked ?? 0);
      for (const bucket of this.buckets) readyAt = Math.max(readyAt, bucket.availableAt(now, tokens));
    }
    return Math.max(0, readyAt - now);
  }

  /**
   * The limiter's state now, read-only (no token is taken): for hosts that
   * show or check rate limits. When shared, it reflects only this process's
   * own calls.
   */
  status(): RateLimiterStatus {
    const now = this.now();
    let remaining = Number.POSITIVE_INFINITY;
    let limit = Number.POSITIVE_INFINITY;
    let resetAt = Math.max(now, this.pausedUntil);
    for (const bucket of this.buckets) {
      const left = bucket.tokensLeft(now);
      if (left < remaining || (left === remaining && bucket.requests < limit)) {
        remaining = left;
        limit = bucket.requests;
      }
      resetAt = Math.max(resetAt, bucket.fullAt(now));
    }
    if (now < this.pausedUntil) remaining = 0;
    return { remaining, limit, resetAt, waitMs: this.waitTimeMs() };
  }

  /**
   * The slow path, after {@link RateLimiter.tryTake} answered false: runs
   * `task` at once if a token has come back meanwhile and nobody waits;
   * otherwise waits in line for a slot (through bottleneck, created on first
   * use), then runs `task` and settles as it does. Rejects at once with `signal.reason` when
   * `signal` aborts while waiting (the slot goes to the next call); a task
   * that already started is not interrupted here (give it the signal).
   * Rejects with a `rate_limit` error after {@link RateLimiter.disconnect}.
   */
  async schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.tryTake()) return task();
    await this.slowPath().acquire(signal);
    return task();
  }

  /**
   * The provider said "slow down" (429 with Retry-After): no calls until
   * `retryAfterMs` from now; then one token, refilling at the usual rate (the
   * buckets never hold more than they would have). Calls waiting in
   * {@link RateLimiter.schedule} are re-spaced from the end of the pause.
   * When shared, the Redis reservoirs are emptied too, so every process slows
   * down. A pause never shortens an earlier, longer one.
   */
  pause(retryAfterMs: number): void {
    if (!(retryAfterMs > 0)) return;
    const now = this.now();
    const until = now + retryAfterMs;
    if (until <= this.pausedUntil) return;
    const apply = (): void => {
      this.pausedUntil = until;
      for (const bucket of this.buckets) bucket.pause(now, until);
    };
    if (this.queue === undefined) apply();
    else this.queue.rebook(apply);
    if (this.sharedOptions !== undefined) this.queue?.emptySharedReservoirs();
  }

  /** Rejects the calls still waiting, stops bottleneck (if it was created) with its timers, and closes its Redis connection. The fast path keeps working. */
  async disconnect(): Promise<void> {
    await this.slowPath().close();
  }

  private slowPath(): RateLimitQueue {
    this.queue ??= new RateLimitQueue(this.limits, this.sharedOptions, this.slotSource(), this.onError);
    return this.queue;
  }

  private slotSource(): SlotSource {
    return {
      reserve: () => {
        const now = this.now();
        let readyAt = Math.max(now, this.pausedUntil);
        for (const bucket of this.buckets) {
          // Shared: Redis admitted the call; the local bucket only keeps this process's count for headroom().
          if (this.sharedOptions === undefined) readyAt = Math.max(readyAt, bucket.reserve(now));
          else bucket.consume(now);
        }
        return readyAt;
      },
      refund: () => {
        for (const bucket of this.buckets) bucket.refund();
      },
      now: this.now,
    };
  }
}
