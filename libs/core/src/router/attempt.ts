import type { AttemptRecord } from '../errors/integration-error';
import type { ExecuteOptions } from '../hub/hub-options';
import type { ProviderCallContext } from '../provider/provider';
import type { BreakerPermit } from '../resilience/circuit-breaker';
import { DeadlineRun } from '../resilience/deadline';
import type { Logger } from '../utils/logger';
import type { ProviderRuntime } from './provider-runtime';
import type { OperationEntry } from './router';

/** Who learns how an attempt ended: the router, which records it. */
export interface AttemptObserver {
  /** The provider answered; returns the value to resolve with, or throws to fail the attempt. */
  attemptSucceeded(attempt: Attempt, value: unknown): unknown;
  /** The attempt failed (provider error, deadline or abort); returns the error to reject with. */
  attemptFailed(attempt: Attempt, error: unknown): unknown;
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
  readonly entry: OperationEntry;
  readonly requestId: number;
  readonly permit: BreakerPermit;
  readonly options: ExecuteOptions;
  readonly log: AttemptRecord[];
  /** performance.now() when the attempt started. */
  readonly startedAt: number;
  private readonly observer: AttemptObserver;

  constructor(
    observer: AttemptObserver,
    runtime: ProviderRuntime,
    entry: OperationEntry,
    fields: {
      readonly requestId: number;
      readonly attempt: number;
      readonly permit: BreakerPermit;
      readonly options: ExecuteOptions;
      readonly log: AttemptRecord[];
      readonly deadline: number;
      readonly logger: Logger;
    },
  ) {
    super({ deadline: fields.deadline, signal: fields.options.signal, provider: runtime.id, operation: entry.key });
    this.observer = observer;
    this.runtime = runtime;
    this.entry = entry;
    this.requestId = fields.requestId;
    this.attempt = fields.attempt;
    this.permit = fields.permit;
    this.options = fields.options;
    this.log = fields.log;
    this.idempotencyKey = fields.options.idempotencyKey;
    this.logger = fields.logger;
    this.startedAt = performance.now();
  }

  protected override onSuccess(value: unknown): unknown {
    return this.observer.attemptSucceeded(this, value);
  }

  protected override onFailure(error: unknown): unknown {
    return this.observer.attemptFailed(this, error);
  }
}
