import { IntegrationError, toIntegrationError } from '../errors/integration-error';
import type { EventBus } from '../events/event-bus';
import type { HubEvents } from '../events/hub-events';
import type { RateLimitStatus } from '../provider/provider';
import type { BreakerPermit } from '../resilience/circuit-breaker';
import { retryAfterFailure } from '../resilience/retry';
import type { Logger } from '../utils/logger';
import { Attempt, type AttemptObserver } from './attempt';
import { canRetry, countsAgainstHealth } from './failover-policy';
import type { ProviderRuntime } from './provider-runtime';
import { attachContext } from './request-errors';
import { isAborted, type RouteRequest } from './route-request';

/** How long to skip a provider whose reported rate limit ran out without saying when it resets, in ms. */
const DEFAULT_EXHAUSTED_WAIT_MS = 60_000;

/** What the runner needs from the router. */
export interface AttemptRunnerSettings {
  readonly events: EventBus<HubEvents>;
  readonly logger: Logger;
  /** Longest wait for a rate-limit slot before failing over, in ms. */
  readonly maxQueueWaitMs: number;
  /** Check outputs against the contract. */
  readonly validateOutput: boolean;
}

/**
 * Calls one provider for one request: behind its circuit breaker and rate
 * limiter, under one deadline, retried when that is safe, and recorded in
 * its stats, breaker, events and the request's attempt list.
 */
export class AttemptRunner implements AttemptObserver {
  private readonly settings: AttemptRunnerSettings;

  constructor(settings: AttemptRunnerSettings) {
    this.settings = settings;
  }

  /** The first attempt, then {@link AttemptRunner.retry} if it fails. `now` is the caller's clock reading. */
  async callWithRetries(runtime: ProviderRuntime, request: RouteRequest, now: number): Promise<unknown> {
    try {
      return await this.call(runtime, request, 1, now);
    } catch (caught) {
      return this.retry(runtime, request, caught);
    }
  }

  /**
   * After a failed first attempt: retries on the same provider when that is
   * safe, else rejects with the failure. Rejects with the error that made
   * the router give the provider up: a retry that finds the circuit open
   * (other requests' failures opened it while this one waited) never
   * reached the provider, so the last failure that did is the reason, not
   * `circuit_open`. The skipped retry stays in the request's attempts.
   */
  async retry(runtime: ProviderRuntime, request: RouteRequest, caught: unknown): Promise<unknown> {
    const { entry, options, idempotent } = request;
    const error = toIntegrationError(caught, { provider: runtime.id, operation: entry.key });
    if (runtime.retryPolicy.retries === 0 || !canRetry(error, idempotent) || isAborted(options.signal)) throw error;
    let lastReached = error;
    const attempt = async (attemptNumber: number): Promise<unknown> => {
      try {
        return await this.call(runtime, request, attemptNumber, Date.now());
      } catch (failed) {
        const failure = toIntegrationError(failed);
        if (failure.kind !== 'circuit_open') lastReached = failure;
        throw failure;
      }
    };
    try {
      return await retryAfterFailure(attempt, error, {
        policy: runtime.retryPolicy,
        deadline: request.deadline,
        signal: options.signal,
        shouldRetry: (next) => canRetry(next, idempotent) && !isAborted(options.signal),
        onRetry: ({ attempt: attemptNumber, delayMs, error: failed }) =>
          this.settings.logger.debug(
            { requestId: request.id, provider: runtime.id, operation: entry.key, attempt: attemptNumber, delayMs, kind: failed.kind },
            'retrying',
          ),
      });
    } catch (last) {
      throw IntegrationError.isInstance(last) && last.kind === 'circuit_open' ? lastReached : last;
    }
  }

  /**
   * One attempt. Always rejects with an IntegrationError. Not `async`: on
   * the fast path it hands back the attempt's own promise.
   */
  call(runtime: ProviderRuntime, request: RouteRequest, attempt: number, now: number): Promise<unknown> {
    const permit = runtime.breaker.tryAcquire();
    if (permit === false) {
      return Promise.reject(this.skip(runtime, request, attempt, 'circuit_open', `${runtime.id}'s circuit is ${runtime.breaker.state}`));
    }
    const limiter = runtime.limiter;
    if (limiter === undefined || limiter.tryTake()) return this.invoke(runtime, request, attempt, permit, now);
    return this.callWhenSlotFrees(runtime, request, attempt, permit);
  }

  /** @internal Records a successful attempt (AttemptObserver). */
  attemptSucceeded(run: Attempt, raw: unknown): unknown {
    const { runtime, request } = run;
    const { entry } = request;
    const value = this.settings.validateOutput ? this.parseOutput(runtime, request, raw) : raw;
    const durationMs = performance.now() - run.startedAt;
    runtime.stats.inFlight -= 1;
    runtime.stats.recordSuccess(durationMs, runtime.costs[entry.key] ?? 0, Date.now());
    runtime.breaker.recordSuccess(run.permit);
    this.emitAttempt(run, durationMs, undefined);
    return value;
  }

  /** @internal Records a failed attempt and classifies its error (AttemptObserver). */
  attemptFailed(run: Attempt, caught: unknown): IntegrationError {
    const { runtime, request } = run;
    const { entry } = request;
    const durationMs = performance.now() - run.startedAt;
    runtime.stats.inFlight -= 1;
    const cancelled = isAborted(request.options.signal);
    const error = attachContext(toIntegrationError(caught), runtime.id, entry.key);
    if (cancelled) {
      runtime.breaker.release(run.permit);
    } else {
      const unhealthy = countsAgainstHealth(error);
      runtime.stats.recordFailure(durationMs, { kind: error.kind, message: error.message }, unhealthy, Date.now());
      if (unhealthy) runtime.breaker.recordFailure(run.permit);
      else runtime.breaker.release(run.permit);
      if (error.kind === 'rate_limit' && error.retryAfterMs !== undefined) this.pause(runtime, error.retryAfterMs);
    }
    const message = cancelled ? `cancelled: ${error.message}` : error.message;
    request.attempts.push({ provider: runtime.id, attempt: run.attempt, kind: error.kind, message, durationMs });
    this.emitAttempt(run, durationMs, error);
    return error;
  }

  /** The `attempt` event, built only when something listens. */
  private emitAttempt(run: Attempt, durationMs: number, error: IntegrationError | undefined): void {
    if (!this.settings.events.hasListeners('attempt')) return;
    const { entry } = run.request;
    this.settings.events.emit('attempt', {
      requestId: run.request.id,
      provider: run.runtime.id,
      capability: entry.capability,
      operation: entry.operation,
      attempt: run.attempt,
      outcome: error === undefined ? 'success' : 'failure',
      durationMs,
      error: error === undefined ? undefined : { kind: error.kind, message: error.message },
    });
  }

  private invoke(runtime: ProviderRuntime, request: RouteRequest, attempt: number, permit: BreakerPermit, now: number): Promise<unknown> {
    runtime.stats.inFlight += 1;
    const { entry, input } = request;
    const run = new Attempt(this, runtime, request, {
      attempt,
      permit,
      deadline: Math.min(request.deadline, now + runtime.attemptTimeoutMs),
      logger: this.settings.logger,
    });
    return run.run((context) => runtime.provider.execute({ capability: entry.capability, operation: entry.operation, input }, context));
  }

  /** The slow path of a rate-limited provider: queue for a slot if the wait fits, else fail over. */
  private async callWhenSlotFrees(
    runtime: ProviderRuntime,
    request: RouteRequest,
    attempt: number,
    permit: BreakerPermit,
  ): Promise<unknown> {
    const limiter = runtime.limiter!;
    const waitMs = limiter.waitTimeMs();
    const queue = waitMs <= this.settings.maxQueueWaitMs && Date.now() + waitMs < request.deadline;
    if (this.settings.events.hasListeners('ratelimit')) {
      this.settings.events.emit('ratelimit', { provider: runtime.id, action: queue ? 'queued' : 'skipped', waitMs });
    }
    if (!queue) {
      runtime.breaker.release(permit);
      throw this.skip(
        runtime,
        request,
        attempt,
        'rate_limit',
        `${runtime.id} is at its rate limit for another ${Math.ceil(waitMs)} ms`,
        waitMs,
      );
    }
    let started = false;
    try {
      return await limiter.schedule(() => {
        started = true;
        return this.invoke(runtime, request, attempt, permit, Date.now());
      }, request.options.signal);
    } catch (caught) {
      if (started) throw caught;
      runtime.breaker.release(permit);
      if (isAborted(request.options.signal)) {
        throw this.skip(runtime, request, attempt, 'timeout', `cancelled while waiting for ${runtime.id}'s rate limit`);
      }
      // The queue itself failed (e.g. the shared limiter's Redis client is missing): keep its error.
      const error = toIntegrationError(caught, { provider: runtime.id, operation: request.entry.key });
      request.attempts.push({ provider: runtime.id, attempt, kind: error.kind, message: error.message, durationMs: 0 });
      throw error;
    }
  }

  private parseOutput(runtime: ProviderRuntime, request: RouteRequest, raw: unknown): unknown {
    const { entry } = request;
    const result = entry.contract.output.safeParse(raw);
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(output)'}: ${issue.message}`);
    throw new IntegrationError({
      kind: 'provider',
      message: `${runtime.id} returned a ${entry.key} result that breaks the contract: ${problems.join('; ')}`,
      provider: runtime.id,
      operation: entry.key,
      isRetryable: false,
    });
  }

  rateLimitReported(runtime: ProviderRuntime, status: RateLimitStatus): void {
    if (!Number.isFinite(status.remaining) || !Number.isFinite(status.limit)) return;
    runtime.reportedRateLimit = status;
    if (status.remaining > 0) return;
    // Used up: skip the provider until the window resets (a minute when the API did not say).
    const now = Date.now();
    const waitMs = status.resetAt !== undefined && status.resetAt > now ? status.resetAt - now : DEFAULT_EXHAUSTED_WAIT_MS;
    this.pause(runtime, waitMs, 'rate limit used up: 0 calls remaining');
  }

  private pause(runtime: ProviderRuntime, retryAfterMs: number, reason = 'Retry-After'): void {
    runtime.limiter?.pause(retryAfterMs);
    const until = Date.now() + retryAfterMs;
    if (until > runtime.pausedUntil) {
      runtime.pausedUntil = until;
      runtime.pauseReason = reason;
    }
    if (this.settings.events.hasListeners('ratelimit')) {
      this.settings.events.emit('ratelimit', { provider: runtime.id, action: 'paused', waitMs: retryAfterMs });
    }
  }

  /** Records an attempt that never reached the provider, and the error it ends with. */
  private skip(
    runtime: ProviderRuntime,
    request: RouteRequest,
    attempt: number,
    kind: 'circuit_open' | 'rate_limit' | 'timeout',
    message: string,
    retryAfterMs?: number,
  ): IntegrationError {
    request.attempts.push({ provider: runtime.id, attempt, kind, message, durationMs: 0 });
    return new IntegrationError({ kind, message, provider: runtime.id, operation: request.entry.key, retryAfterMs, isRetryable: false });
  }
}
