import type { CapabilityName, OperationContract } from '../capabilities/capability';
import { IntegrationError, toIntegrationError, type AttemptRecord } from '../errors/integration-error';
import type { EventBus } from '../events/event-bus';
import type { HubEvents } from '../events/hub-events';
import type { CredentialLookup, ExecuteOptions, ExecuteResult, RoutingOptions } from '../hub/hub-options';
import type { ProviderV1 } from '../provider/provider';
import type { ContractLookup, ProviderRegistry } from '../registry/provider-registry';
import type { BreakerPermit } from '../resilience/circuit-breaker';
import { retryAfterFailure } from '../resilience/retry';
import type { Logger } from '../utils/logger';
import { Attempt, type AttemptObserver } from './attempt';
import { canFailOver, canRetry, countsAgainstHealth } from './failover-policy';
import { createProviderRuntime, type ProviderRuntime } from './provider-runtime';
import { CandidateQueue, noCandidateError, rankCandidates, type RankingContext } from './ranking';
import { DEFAULT_ROUTING_WEIGHTS, weightedSumStrategy } from './scoring';

/** A capability operation the router can route, resolved once and cached. */
export interface OperationEntry {
  /** `capability.operation` */
  readonly key: string;
  readonly capability: CapabilityName;
  readonly operation: string;
  readonly contract: OperationContract;
}

/** The result of one provider in `executeParallel(..., { mode: 'all' })`. */
export type ParallelOutcome =
  | { readonly provider: string; readonly status: 'fulfilled'; readonly value: unknown }
  | { readonly provider: string; readonly status: 'rejected'; readonly error: IntegrationError };

/** What the router needs from the hub. */
export interface RouterDependencies {
  readonly registry: ProviderRegistry;
  readonly findContract: ContractLookup;
  readonly events: EventBus<HubEvents>;
  readonly logger: Logger;
  readonly credentials: CredentialLookup | undefined;
  readonly routing: RoutingOptions;
  /** Every contract the hub routes, to resolve `capability.operation` keys. */
  readonly contractsByName: ReadonlyMap<string, { readonly operations: Readonly<Record<string, OperationContract>> }>;
  /** Clock for breakers and limiters. */
  readonly clock: (() => number) | undefined;
}

const NO_OPTIONS: ExecuteOptions = Object.freeze({});
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_QUEUE_WAIT_MS = 1_000;

/**
 * Routes each call to the best provider and fails over on errors that
 * another provider may not have. The success path does no allocation beyond
 * the attempt itself: no retry machinery, no extra timers (one per attempt,
 * for its deadline), no events unless something listens.
 */
export class Router implements AttemptObserver {
  readonly runtimes = new Map<string, ProviderRuntime>();
  readonly ranking: RankingContext;
  private readonly dependencies: RouterDependencies;
  /** Resolved operations by capability, then operation name: no key string is built per call. */
  private readonly operations = new Map<string, Map<string, OperationEntry>>();
  private readonly requestTimeoutMs: number;
  private readonly maxQueueWaitMs: number;
  private readonly validateOutput: boolean;
  private requestCount = 0;

  constructor(dependencies: RouterDependencies) {
    this.dependencies = dependencies;
    const { routing } = dependencies;
    this.requestTimeoutMs = routing.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.maxQueueWaitMs = routing.maxQueueWaitMs ?? DEFAULT_MAX_QUEUE_WAIT_MS;
    this.validateOutput = routing.validateOutput ?? false;
    this.ranking = {
      runtimes: this.runtimes,
      registry: dependencies.registry,
      credentials: dependencies.credentials,
      strategy: routing.strategy ?? weightedSumStrategy,
      weights: { ...DEFAULT_ROUTING_WEIGHTS, ...routing.weights },
    };
  }

  /** Creates the runtime (breaker, limiter, stats) of a newly registered provider. */
  addProvider(provider: ProviderV1): void {
    const runtime = createProviderRuntime(provider, this.dependencies.routing, (change) => {
      if (this.dependencies.events.hasListeners('breaker')) this.dependencies.events.emit('breaker', change);
      this.dependencies.logger.warn({ provider: change.provider, from: change.from, to: change.to, reason: change.reason }, 'circuit breaker changed state');
    }, this.dependencies.clock);
    this.runtimes.set(runtime.id, runtime);
  }

  removeProvider(id: string): void {
    const runtime = this.runtimes.get(id);
    this.runtimes.delete(id);
    void runtime?.limiter?.disconnect();
  }

  /** Finds the contract of `capability.operation`, or throws `unsupported`. */
  resolveOperation(capability: string, operation: string): OperationEntry {
    const cached = this.operations.get(capability)?.get(operation);
    if (cached !== undefined) return cached;
    const key = `${capability}.${operation}`;
    const contract = this.dependencies.contractsByName.get(capability)?.operations[operation];
    if (contract === undefined || !Object.hasOwn(this.dependencies.contractsByName.get(capability)!.operations, operation)) {
      throw new IntegrationError({
        kind: 'unsupported',
        message: `No capability contract defines ${key}`,
        operation: key,
      });
    }
    const entry: OperationEntry = { key, capability: capability as CapabilityName, operation, contract };
    const byOperation = this.operations.get(capability) ?? new Map<string, OperationEntry>();
    byOperation.set(operation, entry);
    this.operations.set(capability, byOperation);
    return entry;
  }

  /** Parses input against the contract, or throws `validation` naming every bad field, before any provider is called. */
  parseInput(entry: OperationEntry, input: unknown): unknown {
    const result = entry.contract.input.safeParse(input);
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
    throw new IntegrationError({
      kind: 'validation',
      message: `Invalid input for ${entry.key}: ${problems.join('; ')}`,
      operation: entry.key,
      details: result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message, code: issue.code })),
    });
  }

  /** Routes one call with failover. */
  async execute(request: { capability: string; operation: string; input: unknown }, options: ExecuteOptions = NO_OPTIONS): Promise<ExecuteResult> {
    const entry = this.resolveOperation(request.capability, request.operation);
    const input = this.parseInput(entry, request.input);
    const requestId = (this.requestCount += 1);
    const startedAt = this.dependencies.events.hasListeners('request') ? performance.now() : 0;
    const now = Date.now();
    const deadline = options.deadline ?? now + (options.timeoutMs ?? this.requestTimeoutMs);
    const idempotent = entry.contract.hints.idempotent || options.idempotencyKey !== undefined;
    this.emitRoute(requestId, entry, options, idempotent, now);
    const candidates = new CandidateQueue(this.ranking, entry.key, options, idempotent, now);
    const attempts: AttemptRecord[] = [];
    let lastError: IntegrationError | undefined;
    for (let runtime = candidates.next(), first = true; runtime !== undefined; runtime = candidates.next(), first = false) {
      const attemptStart = first ? now : Date.now();
      if (attemptStart >= deadline || isAborted(options.signal)) break;
      try {
        // The first attempt is awaited here, not through callWithRetries: the success path has one async frame less.
        let value: unknown;
        try {
          value = await this.callProvider(runtime, entry, input, requestId, deadline, options, 1, attempts, attemptStart);
        } catch (caught) {
          value = await this.retry(runtime, entry, input, requestId, deadline, options, idempotent, attempts, caught);
        }
        this.emitRequest(requestId, entry, runtime.id, startedAt, attempts.length + 1, undefined);
        return { value, provider: runtime.id, failedAttempts: attempts };
      } catch (caught) {
        lastError = toIntegrationError(caught, { provider: runtime.id, operation: entry.key });
        if (!canFailOver(lastError, idempotent) || isAborted(options.signal)) break;
        const next = candidates.peek();
        if (this.dependencies.events.hasListeners('failover')) {
          this.dependencies.events.emit('failover', {
            requestId,
            from: runtime.id,
            to: next?.id,
            capability: entry.capability,
            operation: entry.operation,
            error: { kind: lastError.kind, message: lastError.message },
          });
        }
        this.dependencies.logger.warn(
          { requestId, operation: entry.key, from: runtime.id, to: next?.id, kind: lastError.kind, error: lastError.message },
          'failing over',
        );
      }
    }
    const error = this.finalError(entry, candidates.size, lastError, attempts, deadline, options);
    this.emitRequest(requestId, entry, undefined, startedAt, attempts.length, error);
    this.dependencies.logger.error({ requestId, operation: entry.key, kind: error.kind, error: error.message }, 'request failed');
    throw error;
  }

  /**
   * Runs one call on the `count` best providers at once. `'all'` waits for
   * every one and reports each outcome; `'race'` returns the first success and
   * aborts the others (their cancellation never counts against their health).
   */
  async executeParallel(
    request: { capability: string; operation: string; input: unknown },
    count: number,
    mode: 'all' | 'race',
    options: ExecuteOptions = NO_OPTIONS,
  ): Promise<ParallelOutcome[] | ExecuteResult> {
    if (!Number.isInteger(count) || count < 1) {
      throw new IntegrationError({ kind: 'validation', message: `executeParallel needs a whole number of providers >= 1, got ${count}` });
    }
    const entry = this.resolveOperation(request.capability, request.operation);
    const input = this.parseInput(entry, request.input);
    const requestId = (this.requestCount += 1);
    const now = Date.now();
    const deadline = options.deadline ?? now + (options.timeoutMs ?? this.requestTimeoutMs);
    const idempotent = entry.contract.hints.idempotent || options.idempotencyKey !== undefined;
    this.emitRoute(requestId, entry, options, idempotent, now);
    const queue = new CandidateQueue(this.ranking, entry.key, options, idempotent, now);
    const ranked: ProviderRuntime[] = [];
    for (let runtime = queue.next(); runtime !== undefined && ranked.length < count; runtime = queue.next()) ranked.push(runtime);
    const attempts: AttemptRecord[] = [];
    if (ranked.length === 0) throw this.finalError(entry, 0, undefined, attempts, deadline, options);

    if (mode === 'all') {
      return Promise.all(
        ranked.map((runtime) =>
          this.callWithRetries(runtime, entry, input, requestId, deadline, options, idempotent, attempts, now).then(
            (value): ParallelOutcome => ({ provider: runtime.id, status: 'fulfilled', value }),
            (error: IntegrationError): ParallelOutcome => ({ provider: runtime.id, status: 'rejected', error }),
          ),
        ),
      );
    }

    const controllers = ranked.map(() => new AbortController());
    const abortAll = (): void => controllers.forEach((controller) => controller.abort(options.signal?.reason));
    options.signal?.addEventListener('abort', abortAll, { once: true });
    try {
      return await new Promise<ExecuteResult>((resolve, reject) => {
        let pending = ranked.length;
        let settled = false;
        ranked.forEach((runtime, index) => {
          const branch: ExecuteOptions = { ...options, signal: controllers[index]!.signal };
          this.callWithRetries(runtime, entry, input, requestId, deadline, branch, idempotent, attempts, now).then(
            (value) => {
              if (settled) return;
              settled = true;
              controllers.forEach((controller, other) => {
                if (other !== index) controller.abort(new DOMException('another provider answered first', 'AbortError'));
              });
              resolve({ value, provider: runtime.id, failedAttempts: attempts });
            },
            (error: IntegrationError) => {
              pending -= 1;
              if (pending === 0 && !settled) reject(this.finalError(entry, ranked.length, error, attempts, deadline, options));
            },
          );
        });
      });
    } finally {
      options.signal?.removeEventListener('abort', abortAll);
    }
  }

  /** One provider with retries: the first attempt, then {@link Router.retry} if it fails. */
  private async callWithRetries(
    runtime: ProviderRuntime,
    entry: OperationEntry,
    input: unknown,
    requestId: number,
    deadline: number,
    options: ExecuteOptions,
    idempotent: boolean,
    attempts: AttemptRecord[],
    now: number,
  ): Promise<unknown> {
    try {
      return await this.callProvider(runtime, entry, input, requestId, deadline, options, 1, attempts, now);
    } catch (caught) {
      return this.retry(runtime, entry, input, requestId, deadline, options, idempotent, attempts, caught);
    }
  }

  /** After a first failed attempt: retries on the same provider when that is safe, else rethrows the failure. */
  private retry(
    runtime: ProviderRuntime,
    entry: OperationEntry,
    input: unknown,
    requestId: number,
    deadline: number,
    options: ExecuteOptions,
    idempotent: boolean,
    attempts: AttemptRecord[],
    caught: unknown,
  ): Promise<unknown> {
    const error = toIntegrationError(caught, { provider: runtime.id, operation: entry.key });
    if (runtime.retryPolicy.retries === 0 || !canRetry(error, idempotent) || isAborted(options.signal)) return Promise.reject(error);
    return retryAfterFailure(
      (attemptNumber) => this.callProvider(runtime, entry, input, requestId, deadline, options, attemptNumber, attempts, Date.now()),
      error,
      {
        policy: runtime.retryPolicy,
        deadline,
        signal: options.signal,
        shouldRetry: (next) => canRetry(next, idempotent) && !isAborted(options.signal),
        onRetry: ({ attempt, delayMs, error: failed }) =>
          this.dependencies.logger.debug(
            { requestId, provider: runtime.id, operation: entry.key, attempt, delayMs, kind: failed.kind },
            'retrying',
          ),
      },
    );
  }

  /**
   * One attempt on one provider, behind its breaker and rate limiter. Always
   * rejects with an IntegrationError. Not `async`: on the fast path it hands
   * back `invoke`'s promise as it is.
   */
  private callProvider(
    runtime: ProviderRuntime,
    entry: OperationEntry,
    input: unknown,
    requestId: number,
    deadline: number,
    options: ExecuteOptions,
    attempt: number,
    attempts: AttemptRecord[],
    now: number,
  ): Promise<unknown> {
    const permit = runtime.breaker.tryAcquire();
    if (permit === false) {
      return Promise.reject(this.skip(runtime, entry, attempt, attempts, 'circuit_open', `${runtime.id}'s circuit is ${runtime.breaker.state}`));
    }
    const limiter = runtime.limiter;
    if (limiter === undefined || limiter.tryTake()) {
      return this.invoke(runtime, entry, input, requestId, deadline, options, attempt, attempts, permit, now);
    }
    return this.callWhenSlotFrees(runtime, entry, input, requestId, deadline, options, attempt, attempts, permit);
  }

  /** The slow path of a rate-limited provider: queue for a slot if the wait fits, else fail over. */
  private async callWhenSlotFrees(
    runtime: ProviderRuntime,
    entry: OperationEntry,
    input: unknown,
    requestId: number,
    deadline: number,
    options: ExecuteOptions,
    attempt: number,
    attempts: AttemptRecord[],
    permit: BreakerPermit,
  ): Promise<unknown> {
    const limiter = runtime.limiter!;
    const waitMs = limiter.waitTimeMs();
    const queue = waitMs <= this.maxQueueWaitMs && Date.now() + waitMs < deadline;
    if (this.dependencies.events.hasListeners('ratelimit')) {
      this.dependencies.events.emit('ratelimit', { provider: runtime.id, action: queue ? 'queued' : 'skipped', waitMs });
    }
    if (!queue) {
      runtime.breaker.release(permit);
      throw this.skip(runtime, entry, attempt, attempts, 'rate_limit', `${runtime.id} is at its rate limit for another ${Math.ceil(waitMs)} ms`, waitMs);
    }
    let started = false;
    try {
      return await limiter.schedule(() => {
        started = true;
        return this.invoke(runtime, entry, input, requestId, deadline, options, attempt, attempts, permit, Date.now());
      }, options.signal);
    } catch (error) {
      if (started) throw error;
      runtime.breaker.release(permit);
      throw this.skip(runtime, entry, attempt, attempts, 'timeout', `cancelled while waiting for ${runtime.id}'s rate limit`);
    }
  }

  private invoke(
    runtime: ProviderRuntime,
    entry: OperationEntry,
    input: unknown,
    requestId: number,
    deadline: number,
    options: ExecuteOptions,
    attempt: number,
    attempts: AttemptRecord[],
    permit: BreakerPermit,
    now: number,
  ): Promise<unknown> {
    runtime.stats.inFlight += 1;
    const run = new Attempt(this, runtime, entry, {
      requestId,
      attempt,
      permit,
      options,
      log: attempts,
      deadline: Math.min(deadline, now + runtime.attemptTimeoutMs),
      logger: this.dependencies.logger,
    });
    return run.run((context) =>
      runtime.provider.execute({ capability: entry.capability, operation: entry.operation, input }, context),
    );
  }

  /** @internal Records a successful attempt (AttemptObserver). */
  attemptSucceeded(run: Attempt, raw: unknown): unknown {
    const { runtime, entry } = run;
    const value = this.validateOutput ? this.parseOutput(entry, runtime, raw) : raw;
    const durationMs = performance.now() - run.startedAt;
    runtime.stats.inFlight -= 1;
    runtime.stats.recordSuccess(durationMs, runtime.costs[entry.key] ?? 0, Date.now());
    runtime.breaker.recordSuccess(run.permit);
    if (this.dependencies.events.hasListeners('attempt')) {
      this.dependencies.events.emit('attempt', {
        requestId: run.requestId, provider: runtime.id, capability: entry.capability, operation: entry.operation, attempt: run.attempt, outcome: 'success', durationMs,
      });
    }
    return value;
  }

  /** @internal Records a failed attempt and classifies its error (AttemptObserver). */
  attemptFailed(run: Attempt, caught: unknown): IntegrationError {
    const { runtime, entry } = run;
    const durationMs = performance.now() - run.startedAt;
    runtime.stats.inFlight -= 1;
    const cancelled = isAborted(run.options.signal);
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
    run.log.push({ provider: runtime.id, attempt: run.attempt, kind: error.kind, message: cancelled ? `cancelled: ${error.message}` : error.message, durationMs });
    if (this.dependencies.events.hasListeners('attempt')) {
      this.dependencies.events.emit('attempt', {
        requestId: run.requestId, provider: runtime.id, capability: entry.capability, operation: entry.operation, attempt: run.attempt, outcome: 'failure', durationMs,
        error: { kind: error.kind, message: error.message },
      });
    }
    return error;
  }

  private parseOutput(entry: OperationEntry, runtime: ProviderRuntime, raw: unknown): unknown {
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

  private pause(runtime: ProviderRuntime, retryAfterMs: number): void {
    runtime.limiter?.pause(retryAfterMs);
    runtime.pausedUntil = Math.max(runtime.pausedUntil, Date.now() + retryAfterMs);
    if (this.dependencies.events.hasListeners('ratelimit')) {
      this.dependencies.events.emit('ratelimit', { provider: runtime.id, action: 'paused', waitMs: retryAfterMs });
    }
  }

  private skip(
    runtime: ProviderRuntime,
    entry: OperationEntry,
    attempt: number,
    attempts: AttemptRecord[],
    kind: 'circuit_open' | 'rate_limit' | 'timeout',
    message: string,
    retryAfterMs?: number,
  ): IntegrationError {
    attempts.push({ provider: runtime.id, attempt, kind, message, durationMs: 0 });
    return new IntegrationError({ kind, message, provider: runtime.id, operation: entry.key, retryAfterMs, isRetryable: false });
  }

  private finalError(
    entry: OperationEntry,
    candidateCount: number,
    lastError: IntegrationError | undefined,
    attempts: readonly AttemptRecord[],
    deadline: number,
    options: ExecuteOptions,
  ): IntegrationError {
    const summary = attempts.map((record) => `${record.provider}#${record.attempt} ${record.kind}: ${record.message}`).join('; ');
    if (candidateCount === 0) return noCandidateError(this.ranking, entry.key, options);
    if (isAborted(options.signal)) {
      return new IntegrationError({
        kind: 'timeout',
        message: `${entry.key} was aborted by the caller${summary === '' ? '' : ` after: ${summary}`}`,
        operation: entry.key,
        attempts,
        cause: options.signal?.reason,
        isRetryable: false,
      });
    }
    if (lastError === undefined || (Date.now() >= deadline && canFailOver(lastError, true))) {
      return new IntegrationError({
        kind: 'timeout',
        message: `${entry.key} did not finish before its deadline${summary === '' ? '' : `; attempts: ${summary}`}`,
        operation: entry.key,
        attempts,
      });
    }
    if (attempts.length <= 1) return attachAttempts(lastError, attempts);
    return new IntegrationError({
      kind: lastError.kind,
      message: `${entry.key} failed on every provider tried: ${summary}`,
      provider: lastError.provider,
      operation: entry.key,
      statusCode: lastError.statusCode,
      retryAfterMs: lastError.retryAfterMs,
      isRetryable: lastError.isRetryable,
      attempts,
      cause: lastError,
    });
  }

  private emitRequest(
    requestId: number,
    entry: OperationEntry,
    provider: string | undefined,
    startedAt: number,
    attempts: number,
    error: IntegrationError | undefined,
  ): void {
    if (!this.dependencies.events.hasListeners('request')) return;
    this.dependencies.events.emit('request', {
      requestId,
      capability: entry.capability,
      operation: entry.operation,
      provider,
      outcome: error === undefined ? 'success' : 'failure',
      durationMs: performance.now() - startedAt,
      attempts,
      error: error === undefined ? undefined : { kind: error.kind, message: error.message },
    });
  }

  /** Emits the request's full ranking as a `route` event, only when something listens. */
  private emitRoute(requestId: number, entry: OperationEntry, options: ExecuteOptions, probeFirst: boolean, now: number): void {
    if (!this.dependencies.events.hasListeners('route')) return;
    const { ranked, skipped } = rankCandidates(this.ranking, entry.key, options, probeFirst, now);
    this.dependencies.events.emit('route', {
      requestId,
      capability: entry.capability,
      operation: entry.operation,
      ranked: ranked.map(({ runtime, score }) => ({ provider: runtime.id, score })),
      skipped,
    });
  }
}

/** Reads `signal.aborted` through a call, so TypeScript does not narrow it across awaits. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function attachContext(error: IntegrationError, provider: string, operation: string): IntegrationError {
  if (error.provider !== undefined && error.operation !== undefined) return error;
  return new IntegrationError({
    kind: error.kind,
    message: error.message,
    provider: error.provider ?? provider,
    operation: error.operation ?? operation,
    statusCode: error.statusCode,
    retryAfterMs: error.retryAfterMs,
    isRetryable: error.isRetryable,
    cause: error.cause,
    details: error.details,
  });
}

function attachAttempts(error: IntegrationError, attempts: readonly AttemptRecord[]): IntegrationError {
  return new IntegrationError({
    kind: error.kind,
    message: error.message,
    provider: error.provider,
    operation: error.operation,
    statusCode: error.statusCode,
    retryAfterMs: error.retryAfterMs,
    isRetryable: error.isRetryable,
    cause: error.cause,
    details: error.details,
    attempts,
  });
}
