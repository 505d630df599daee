import { createRequire } from 'node:module';
import type Bottleneck from 'bottleneck';
import { IntegrationError } from '../errors/integration-error';
import type { RateLimit } from './token-bucket';

/**
 * How a {@link RateLimiter} shares its limits with other processes through
 * bottleneck's Redis datastore.
 *
 * The host must install the Redis client bottleneck loads at runtime:
 * `redis` **version 3** for `datastore: 'redis'` (bottleneck 2.19 uses
 * node_redis 3's callback API; `redis` 4 and later do not work), or
 * `ioredis` for `datastore: 'ioredis'` (recommended). Core does not depend
 * on either.
 */
export interface SharedRateLimitOptions {
  /** Names the limits in Redis; every process sharing them uses the same id. Each limit gets the key `${id}:${requests}/${intervalMs}`. */
  readonly id: string;
  /** Passed to the Redis client (`redis.createClient(clientOptions)` or `new Redis(clientOptions)`). Default `{}`. */
  readonly clientOptions?: Record<string, unknown> | undefined;
  /** Which client library bottleneck uses. Default `'ioredis'`. */
  readonly datastore?: 'redis' | 'ioredis' | undefined;
  /**
   * Any other bottleneck constructor option, applied last to every limit's
   * limiter: e.g. `Redis` (the client module, when bottleneck cannot
   * `require` it), `clearDatastore`, `timeout`, `heartbeatInterval`.
   */
  readonly bottleneck?: Readonly<Record<string, unknown>> | undefined;
}

/** What the queue needs from the limiter it serves. */
export interface SlotSource {
  /** Books a slot for one queued call and returns the epoch ms at which the call may go. */
  reserve(): number;
  /** Gives back one slot booked with `reserve` (its call was cancelled while waiting). */
  refund(): void;
  now(): number;
}

/** The bottleneck settings of a process-local queue: FIFO, job starts spaced by the fastest limit's interval between tokens. */
export function localBottleneckSettings(limits: readonly RateLimit[]): Bottleneck.ConstructorOptions {
  const spacing = limits.length === 0 ? 0 : Math.min(...limits.map((limit) => limit.intervalMs / limit.requests));
  return { id: 'switchyard-rate-limit', maxConcurrent: null, minTime: Math.floor(spacing) };
}

/**
 * The bottleneck settings of shared limits, one limiter per limit (chained):
 * a reservoir of `requests` that regains one token every
 * `intervalMs / requests` ms up to `requests` — the same token bucket as the
 * local one, kept in Redis.
 */
export function sharedBottleneckSettings(limits: readonly RateLimit[], shared: SharedRateLimitOptions): Bottleneck.ConstructorOptions[] {
  return limits.map((limit) => {
    const spacing = limit.intervalMs / limit.requests;
    return {
      id: `${shared.id}:${limit.requests}/${limit.intervalMs}`,
      datastore: shared.datastore ?? 'ioredis',
      clientOptions: shared.clientOptions ?? {},
      maxConcurrent: null,
      reservoir: limit.requests,
      reservoirIncreaseAmount: 1,
      reservoirIncreaseInterval: spacing,
      reservoirIncreaseMaximum: limit.requests,
      // Waiting jobs are released on a heartbeat; beat about once per token, within 50 ms..1 s.
      heartbeatInterval: Math.min(1_000, Math.max(50, Math.round(spacing))),
      ...shared.bottleneck,
    };
  });
}

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type TicketState = 'queued' | 'booked' | 'passed' | 'cancelled';

interface Ticket {
  state: TicketState;
  /** Epoch ms the booked slot is available at. */
  readyAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  wake: (() => void) | undefined;
  /** Rejects the caller's promise and detaches its abort listener. */
  readonly reject: (reason: Error) => void;
}

let bottleneckModule: typeof Bottleneck | undefined;

/**
 * bottleneck, loaded by the first call that has to wait rather than by
 * importing core (it costs ~10 ms and ~10 MiB). It is CommonJS, so `require`
 * returns the one instance an `import` would.
 */
function loadBottleneck(): typeof Bottleneck {
  bottleneckModule ??= createRequire(import.meta.url)('bottleneck') as typeof Bottleneck;
  return bottleneckModule;
}

/**
 * The rate limiter's slow path: calls that found no token wait here, in
 * order, until their slot comes. Each call is a bottleneck job (local
 * datastore, or Redis when shared) that books a slot from the
 * {@link SlotSource} when it starts and then sleeps until the slot is
 * available, on one timer. `rebook` re-spaces the waiting calls after the
 * limiter's buckets changed (a provider-imposed pause).
 *
 * Bottleneck is created on the first call that has to wait.
 */
export class RateLimitQueue {
  private readonly limits: readonly RateLimit[];
  private readonly shared: SharedRateLimitOptions | undefined;
  private readonly source: SlotSource;
  private readonly onError: ((error: unknown) => void) | undefined;
  /** Waiting calls in arrival order (a Set iterates in insertion order). */
  private readonly tickets = new Set<Ticket>();
  private unbookedCount = 0;
  private limiters: Bottleneck[] | undefined;
  private connection: Bottleneck.RedisConnection | Bottleneck.IORedisConnection | undefined;
  private closed = false;

  constructor(
    limits: readonly RateLimit[],
    shared: SharedRateLimitOptions | undefined,
    source: SlotSource,
    onError?: (error: unknown) => void,
  ) {
    this.limits = limits;
    this.shared = shared;
    this.source = source;
    this.onError = onError;
  }

  /** Calls waiting for a slot. */
  get size(): number {
    return this.tickets.size;
  }

  /** Waiting calls that have not booked their slot yet. */
  get unbooked(): number {
    return this.unbookedCount;
  }

  /** Resolves when the caller's slot has come; rejects with `signal.reason` as soon as `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    let limiter: Bottleneck;
    try {
      limiter = this.limiter();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<void>((resolve, reject) => {
      const detach = (): void => signal?.removeEventListener('abort', onAbort);
      const ticket: Ticket = {
        state: 'queued',
        readyAt: 0,
        timer: undefined,
        wake: undefined,
        reject: (reason) => {
          detach();
          reject(reason);
        },
      };
      const onAbort = (): void => {
        this.cancel(ticket);
        reject(abortReason(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.tickets.add(ticket);
      this.unbookedCount += 1;
      void limiter
        .schedule(() => this.run(ticket))
        .then(
          (passed) => {
            detach();
            if (passed) resolve();
          },
          (error: unknown) => {
            detach();
            if (ticket.state === 'cancelled' || ticket.state === 'passed') return;
            this.cancel(ticket);
            reject(queueError(error));
          },
        );
    });
  }

  /**
   * Gives back every booked slot, runs `change` (which alters the buckets),
   * and books the slots again in arrival order, waking each waiting call to
   * its new time.
   */
  rebook(change: () => void): void {
    const booked = [...this.tickets].filter((ticket) => ticket.state === 'booked');
    for (let index = 0; index < booked.length; index += 1) this.source.refund();
    change();
    for (const ticket of booked) {
      ticket.readyAt = this.source.reserve();
      wake(ticket);
    }
  }

  /** Empties the shared reservoirs in Redis, so a pause one process was told about slows every process down. */
  emptySharedReservoirs(): void {
    if (this.shared === undefined || this.limiters === undefined) return;
    for (const limiter of this.limiters) {
      // Typed as returning the limiter, but bottleneck's updateSettings is async.
      void Promise.resolve(limiter.updateSettings({ reservoir: 0 }) as unknown).catch((error: unknown) => {
        this.onError?.(error);
      });
    }
  }

  /** Rejects every waiting call, stops bottleneck and closes its Redis connection, if any. */
  async close(): Promise<void> {
    this.closed = true;
    for (const ticket of [...this.tickets]) {
      this.cancel(ticket, false);
      ticket.reject(closedError());
    }
    const limiters = this.limiters;
    const connection = this.connection;
    this.limiters = undefined;
    this.connection = undefined;
    if (limiters === undefined) return;
    await Promise.allSettled(limiters.map((limiter) => limiter.stop({ dropWaitingJobs: true })));
    if (connection !== undefined) await connection.disconnect(true);
  }

  /** The bottleneck job of one waiting call: book a slot, then sleep until it comes. False when cancelled. */
  async run(ticket: Ticket): Promise<boolean> {
    if (ticket.state !== 'queued') return false;
    ticket.readyAt = this.source.reserve();
    ticket.state = 'booked';
    this.unbookedCount -= 1;
    while (ticket.state === 'booked') {
      const wait = ticket.readyAt - this.source.now();
      if (wait <= 0) {
        ticket.state = 'passed';
        this.tickets.delete(ticket);
        return true;
      }
      await new Promise<void>((wake) => {
        ticket.wake = wake;
        // A longer wait would overflow setTimeout (and fire at once); waking early only re-checks.
        ticket.timer = setTimeout(wake, Math.min(wait, MAX_TIMER_MS));
      });
      ticket.timer = undefined;
      ticket.wake = undefined;
    }
    return false;
  }

  /** Takes a waiting call out of the queue; a booked slot goes back and the calls behind it move up. */
  private cancel(ticket: Ticket, respace = true): void {
    const previous = ticket.state;
    if (previous === 'cancelled' || previous === 'passed') return;
    ticket.state = 'cancelled';
    this.tickets.delete(ticket);
    wake(ticket);
    if (previous === 'queued') {
      this.unbookedCount -= 1;
    } else if (respace) {
      this.rebook(() => {
        this.source.refund();
      });
    }
  }

  private limiter(): Bottleneck {
    if (this.limiters === undefined) this.limiters = this.createLimiters();
    // `createLimiters` returns at least one limiter.
    return this.limiters[0] as Bottleneck;
  }

  private createLimiters(): Bottleneck[] {
    const BottleneckClass = loadBottleneck();
    if (this.shared === undefined) return [this.listen(new BottleneckClass(localBottleneckSettings(this.limits)))];
    const settings = sharedBottleneckSettings(this.limits, this.shared);
    try {
      const first = settings[0] ?? {};
      const connectionOptions = { clientOptions: first.clientOptions as unknown, Redis: first.Redis as unknown };
      this.connection =
        first.datastore === 'redis'
          ? new BottleneckClass.RedisConnection(connectionOptions)
          : new BottleneckClass.IORedisConnection(connectionOptions);
      this.connection.on('error', (error) => this.onError?.(error));
    } catch (error) {
      throw new IntegrationError({
        kind: 'unsupported',
        message:
          `Sharing rate limits through Redis needs the Redis client bottleneck loads: install ` +
          `${this.shared.datastore === 'redis' ? '`redis@3`' : '`ioredis`'} in the host application ` +
          `(or pass the module as shared.bottleneck.Redis)`,
        isRetryable: false,
        cause: error,
      });
    }
    const limiters = settings.map((options) => this.listen(new BottleneckClass({ ...options, connection: this.connection })));
    for (let index = 1; index < limiters.length; index += 1) limiters[index - 1]?.chain(limiters[index]);
    return limiters;
  }

  private listen(limiter: Bottleneck): Bottleneck {
    limiter.on('error', (error: unknown) => this.onError?.(error));
    return limiter;
  }
}

/** Ends a waiting call's sleep early, so `run` looks at its state again; clears the timer so none is left behind. */
function wake(ticket: Ticket): void {
  if (ticket.timer !== undefined) clearTimeout(ticket.timer);
  ticket.timer = undefined;
  const resume = ticket.wake;
  ticket.wake = undefined;
  resume?.();
}

/**
 * The abort reason, passed on as it is (typed as an Error for the promise it
 * rejects, though a caller may abort with anything). The fallback covers a
 * hand-made signal with no reason.
 */
function abortReason(signal: AbortSignal | undefined): Error {
  return (signal?.reason as Error | undefined) ?? new DOMException('This operation was aborted', 'AbortError');
}

function closedError(): IntegrationError {
  return new IntegrationError({
    kind: 'rate_limit',
    message: 'The rate limiter was disconnected while the call waited for a slot',
    isRetryable: false,
  });
}

function queueError(error: unknown): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  return new IntegrationError({
    kind: 'rate_limit',
    message: `Waiting for a rate-limit slot failed: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}
