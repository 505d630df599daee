import type { ProviderCallContext, RateLimitStatus } from '../provider/provider';
import type { BreakerPermit } from '../resilience/circuit-breaker';
import { DeadlineRun } from '../resilience/deadline';
import type { Logger } from '../utils/logger';
import type { ProviderRuntime } from './provider-runtime';
import type { RouteRequest } from './route-request';

/** Who learns how an attempt ended: the router, which records it. */
export interface AttemptObserver {
  /** The provider answered; returns the value to resolve with, or throws to fail the attempt. */
  attemptSucceeded(attempt: Attempt, value: unknown): unknown;
  /** The attempt failed (provider error, deadline or abort); returns the error to reject with. */
  attemptFailed(attempt: Attempt, error: unknown): unknown;
  /** The provider reported its API's rate-limit state during the attempt. */
  rateLimitReported(runtime: ProviderRuntime, status: RateLimitStatus): void;
}

/**
 * One call to one provider. It is at once the provider's call context, the
 * deadline scope (one shared timer, a lazily created AbortSignal) and the
 * record the router reads when the call settles, so the success path costs
 * one object and one promise beyond the provider's own.
 */
export class Attempt extends DeadlineRun<unknown> implements ProviderCallContext {
  readonly attempt: number;
  readonly idempotencyKey: string | undefined;
  readonly logger: Logger;
  readonly runtime: ProviderRuntime;
  readonly request: RouteRequest;
  readonly permit: BreakerPermit;
  /** performance.now() when the attempt started. */
  readonly startedAt: number;
  private readonly observer: AttemptObserver;

  constructor(
    observer: AttemptObserver,
    runtime: ProviderRuntime,
    request: RouteRequest,
    fields: { readonly attempt: number; readonly permit: BreakerPermit; readonly deadline: number; readonly logger: Logger },
  ) {
    super({ deadline: fields.deadline, signal: request.options.signal, provider: runtime.id, operation: request.entry.key });
    this.observer = observer;
    this.runtime = runtime;
    this.request = request;
    this.attempt = fields.attempt;
    this.permit = fields.permit;
    this.idempotencyKey = request.options.idempotencyKey;
    this.logger = fields.logger;
    this.startedAt = performance.now();
  }

  reportRateLimit(status: RateLimitStatus): void {
    this.observer.rateLimitReported(this.runtime, status);
  }

  protected override onSuccess(value: unknown): unknown {
    return this.observer.attemptSucceeded(this, value);
  }

  protected override onFailure(error: unknown): unknown {
    return this.observer.attemptFailed(this, error);
  }
}
