import type { ProviderCallContext } from '../provider/provider';
import type { DeadlineScope } from '../resilience/deadline';
import type { Logger } from '../utils/logger';

/**
 * The context of one attempt. `signal` is read through the deadline scope, so
 * the AbortController behind it exists only if the provider asks for it.
 */
export class AttemptContext implements ProviderCallContext {
  readonly attempt: number;
  readonly idempotencyKey: string | undefined;
  readonly deadline: number | undefined;
  readonly logger: Logger;
  private readonly scope: DeadlineScope;

  constructor(scope: DeadlineScope, attempt: number, idempotencyKey: string | undefined, deadline: number | undefined, logger: Logger) {
    this.scope = scope;
    this.attempt = attempt;
    this.idempotencyKey = idempotencyKey;
    this.deadline = deadline;
    this.logger = logger;
  }

  get signal(): AbortSignal {
    return this.scope.signal;
  }
}
