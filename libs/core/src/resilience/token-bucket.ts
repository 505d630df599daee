import { IntegrationError } from '../errors/integration-error';

/** One rate limit: at most `requests` calls per `intervalMs` milliseconds, on average. */
export interface RateLimit {
  /** Calls allowed per interval; also the bucket's capacity (the largest burst). */
  readonly requests: number;
  /** The interval in ms. */
  readonly intervalMs: number;
}

/**
 * A token bucket for one {@link RateLimit}: capacity `requests` tokens,
 * refilled continuously at `requests / intervalMs` per ms, starting full.
 *
 * The level is kept in units of 1/`intervalMs` token, so refilling adds
 * `elapsed × requests` and a call costs `intervalMs`: with a whole-millisecond
 * clock and whole-number limits the arithmetic is exact (no drift, no
 * epsilon). The level goes below zero only through {@link TokenBucket.reserve},
 * which books a future token for a queued call.
 *
 * Internal to the rate limiter; exported for its tests.
 */
export class TokenBucket {
  readonly requests: number;
  readonly intervalMs: number;
  private readonly capacity: number;
  private level: number;
  /** Epoch ms the level was computed at; in the future while refilling is suspended by a pause. */
  private updatedAt: number;

  constructor(limit: RateLimit, now: number) {
    const { requests, intervalMs } = limit;
    if (!(requests >= 1 && Number.isFinite(requests) && intervalMs > 0 && Number.isFinite(intervalMs))) {
      throw new IntegrationError({
        kind: 'validation',
        message: `Invalid rate limit: ${requests} requests per ${intervalMs} ms (expected at least 1 request per a positive, finite interval)`,
        details: { requests, intervalMs },
      });
    }
    this.requests = requests;
    this.intervalMs = intervalMs;
    this.capacity = requests * intervalMs;
    this.level = this.capacity;
    this.updatedAt = now;
  }

  /** Whether a whole token is there at `now`. */
  hasToken(now: number): boolean {
    this.refill(now);
    return now >= this.updatedAt && this.level >= this.intervalMs;
  }

  /** Takes one token; call only after {@link TokenBucket.hasToken} said yes at the same instant. */
  take(): void {
    this.level -= this.intervalMs;
  }

  /** Takes one token if there is one, never going below empty (for bookkeeping of calls admitted elsewhere). */
  consume(now: number): void {
    this.refill(now);
    this.level = Math.max(Math.min(this.level, 0), this.level - this.intervalMs);
  }

  /** Books the next token, going into debt if needed; returns the epoch ms at which it is available. */
  reserve(now: number): number {
    this.refill(now);
    this.level -= this.intervalMs;
    return this.readyAt(0);
  }

  /** Gives back a token booked with {@link TokenBucket.reserve}. */
  refund(): void {
    this.level = Math.min(this.capacity, this.level + this.intervalMs);
  }

  /** Epoch ms at which `tokens` more tokens would be available, counting debt already booked. */
  availableAt(now: number, tokens: number): number {
    this.refill(now);
    return Math.max(now, this.readyAt(tokens * this.intervalMs));
  }

  /** Tokens left as a fraction of capacity (0..1); 0 in debt or while paused. */
  fractionLeft(now: number): number {
    this.refill(now);
    if (now < this.updatedAt) return 0;
    return Math.max(0, this.level) / this.capacity;
  }

  /** Whole tokens left at `now`: 0 in debt or while paused. */
  tokensLeft(now: number): number {
    this.refill(now);
    if (now < this.updatedAt) return 0;
    return Math.max(0, Math.floor(this.level / this.intervalMs));
  }

  /** Epoch ms at which the bucket is full again (`now` when it is). */
  fullAt(now: number): number {
    this.refill(now);
    return Math.max(now, this.readyAt(this.capacity));
  }

  /**
   * The provider asked for a pause until `until`: no tokens before then, and
   * at most one token at that instant (never more than the bucket would have
   * held anyway), refilling at the usual rate from there. Call with no
   * reservations outstanding (refund them first).
   */
  pause(now: number, until: number): void {
    this.refill(now);
    if (until <= this.updatedAt) return;
    const projected = Math.min(this.capacity, this.level + (until - this.updatedAt) * this.requests);
    this.level = Math.min(projected, this.intervalMs);
    this.updatedAt = until;
  }

  private refill(now: number): void {
    if (now <= this.updatedAt) return;
    const level = this.level + (now - this.updatedAt) * this.requests;
    this.level = level < this.capacity ? level : this.capacity;
    this.updatedAt = now;
  }

  /** Epoch ms at which the level, refilling from `updatedAt`, reaches `needed` (in the bucket's units). */
  private readyAt(needed: number): number {
    const missing = needed - this.level;
    return missing <= 0 ? this.updatedAt : this.updatedAt + Math.ceil(missing / this.requests);
  }
}
