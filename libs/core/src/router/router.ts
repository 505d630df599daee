import type { OperationContract } from '../capabilities/capability';
import type { CredentialLookup } from '../credentials/credential-lookup';
import { IntegrationError, toIntegrationError, type AttemptRecord } from '../errors/integration-error';
import type { EventBus } from '../events/event-bus';
import type { HubEvents } from '../events/hub-events';
import type { ProviderV1 } from '../provider/provider';
import type { ContractLookup, ProviderRegistry } from '../registry/provider-registry';
import type { Logger } from '../utils/logger';
import { AttemptRunner } from './attempt-runner';
import { canFailOver } from './failover-policy';
import { createProviderRuntime, type ProviderRuntime } from './provider-runtime';
import { CandidateQueue, rankCandidates, type RankingContext } from './ranking';
import { requestError } from './request-errors';
import type { ExecuteOptions, ExecuteResult, RoutingOptions } from './router-options';
import { isAborted, type OperationEntry, type RouteRequest } from './route-request';
import { DEFAULT_ROUTING_WEIGHTS, weightedSumStrategy } from './scoring';

export type { OperationEntry } from './route-request';

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

/** How the data policies (libs/core/src/placement) ask the router to treat one request. */
export interface RouteMode {
  /** The input was already parsed against the contract: do not parse it again. */
  readonly parsed: boolean;
  /** `not_found` means "try the next provider" (a `first-found` read), not "return it to the caller". */
  readonly notFoundFailsOver: boolean;
}

const PLAIN_ROUTE: RouteMode = Object.freeze({ parsed: false, notFoundFailsOver: false });
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_QUEUE_WAIT_MS = 1_000;

/**
 * Routes each call to the best provider and fails over on errors that
 * another provider may not have. The success path allocates little beyond
 * the attempt itself: no retry machinery, no timer of its own (deadlines
 * share one), no events unless something listens.
 */
export class Router {
  readonly runtimes = new Map<string, ProviderRuntime>();
  readonly ranking: RankingContext;
  private readonly dependencies: RouterDependencies;
  /** Resolved operations by capability, then operation name: no key string is built per call. */
  private readonly operations = new Map<string, Map<string, OperationEntry>>();
  private readonly requestTimeoutMs: number;
  private readonly attempts: AttemptRunner;
  private requestCount = 0;

  constructor(dependencies: RouterDependencies) {
    this.dependencies = dependencies;
    const { routing } = dependencies;
    this.requestTimeoutMs = routing.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.attempts = new AttemptRunner({
      events: dependencies.events,
      logger: dependencies.logger,
      maxQueueWaitMs: routing.maxQueueWaitMs ?? DEFAULT_MAX_QUEUE_WAIT_MS,
      validateOutput: routing.validateOutput ?? false,
    });
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
    const runtime = createProviderRuntime(
      provider,
      this.dependencies.routing,
      (change) => {
        if (this.dependencies.events.hasListeners('breaker')) this.dependencies.events.emit('breaker', change);
        this.dependencies.logger.warn(
          { provider: change.provider, from: change.from, to: change.to, reason: change.reason },
          'circuit breaker changed state',
        );
      },
      this.dependencies.clock,
    );
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
    const entry: OperationEntry = { key, capability, operation, contract };
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
  async execute(
    request: { capability: string; operation: string; input: unknown },
    options: ExecuteOptions = NO_OPTIONS,
    mode: RouteMode = PLAIN_ROUTE,
  ): Promise<ExecuteResult> {
    const now = Date.now();
    const route = this.prepare(request, options, now, mode.parsed);
    const startedAt = this.dependencies.events.hasListeners('request') ? performance.now() : 0;
    const candidates = new CandidateQueue(this.ranking, route.entry.key, options, route.idempotent, now);
    let lastError: IntegrationError | undefined;
    for (let runtime = candidates.next(), first = true; runtime !== undefined; runtime = candidates.next(), first = false) {
      const attemptStart = first ? now : Date.now();
      if (attemptStart >= route.deadline || isAborted(options.signal)) break;
      if (runtime.provider.refuses !== undefined) {
        const refusal = this.refusal(runtime, route);
        if (refusal !== undefined) {
          lastError = refusal;
          this.emitFailover(route, runtime, candidates.peek(), refusal);
          continue;
        }
      }
      try {
        // The first attempt is awaited here, not through callWithRetries: the success path has one async frame less.
        let value: unknown;
        try {
          value = await this.attempts.call(runtime, route, 1, attemptStart);
        } catch (caught) {
          value = await this.attempts.retry(runtime, route, caught);
        }
        this.emitRequest(route, runtime.id, startedAt, undefined);
        return { value, provider: runtime.id, failedAttempts: route.attempts };
      } catch (caught) {
        lastError = toIntegrationError(caught, { provider: runtime.id, operation: route.entry.key });
        const next = canFailOver(lastError, route.idempotent) || (mode.notFoundFailsOver && lastError.kind === 'not_found');
        if (!next || isAborted(options.signal)) break;
        this.emitFailover(route, runtime, candidates.peek(), lastError);
      }
    }
    const error = requestError(this.ranking, route, candidates.size, lastError);
    this.emitRequest(route, undefined, startedAt, error);
    this.dependencies.logger.error(
      { requestId: route.id, operation: route.entry.key, kind: error.kind, error: error.message },
      'request failed',
    );
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
    const now = Date.now();
    const route = this.prepare(request, options, now);
    const queue = new CandidateQueue(this.ranking, route.entry.key, options, route.idempotent, now);
    const ranked: ProviderRuntime[] = [];
    for (let runtime = queue.next(); runtime !== undefined && ranked.length < count; runtime = queue.next()) ranked.push(runtime);
    if (ranked.length === 0) throw requestError(this.ranking, route, 0, undefined);

    if (mode === 'all') {
      return Promise.all(
        ranked.map((runtime) =>
          this.attempts.callWithRetries(runtime, route, now).then(
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
          const branch: RouteRequest = { ...route, options: { ...options, signal: controllers[index]!.signal } };
          this.attempts.callWithRetries(runtime, branch, now).then(
            (value) => {
              if (settled) return;
              settled = true;
              controllers.forEach((controller, other) => {
                if (other !== index) controller.abort(new DOMException('another provider answered first', 'AbortError'));
              });
              resolve({ value, provider: runtime.id, failedAttempts: route.attempts });
            },
            (error: IntegrationError) => {
              pending -= 1;
              if (pending === 0 && !settled) reject(requestError(this.ranking, route, ranked.length, error));
            },
          );
        });
      });
    } finally {
      options.signal?.removeEventListener('abort', abortAll);
    }
  }

  /**
   * A `validation` error when `runtime`'s provider says it would refuse this
   * input (a name its service does not allow), recorded as a skipped attempt;
   * undefined when it takes it. No call is made, so trying the next provider
   * is always safe.
   */
  private refusal(runtime: ProviderRuntime, route: RouteRequest): IntegrationError | undefined {
    const { entry } = route;
    const reason = runtime.provider.refuses?.({ capability: entry.capability, operation: entry.operation, input: route.input });
    if (reason === undefined) return undefined;
    const message = `${runtime.id} refuses this input: ${reason}`;
    route.attempts.push({ provider: runtime.id, attempt: 0, kind: 'validation', message, durationMs: 0 });
    return new IntegrationError({
      kind: 'validation',
      message,
      provider: runtime.id,
      operation: entry.key,
      details: { refusedBy: runtime.id },
    });
  }

  /** Resolves and validates a request and fixes what its attempts share. */
  private prepare(
    request: { capability: string; operation: string; input: unknown },
    options: ExecuteOptions,
    now: number,
    parsed = false,
  ): RouteRequest {
    const entry = this.resolveOperation(request.capability, request.operation);
    const input = parsed ? request.input : this.parseInput(entry, request.input);
    const route: RouteRequest = {
      id: (this.requestCount += 1),
      entry,
      input,
      deadline: options.deadline ?? now + (options.timeoutMs ?? this.requestTimeoutMs),
      options,
      idempotent: entry.contract.hints.idempotent || options.idempotencyKey !== undefined,
      attempts: [] as AttemptRecord[],
    };
    this.emitRoute(route, now);
    return route;
  }

  private emitFailover(route: RouteRequest, from: ProviderRuntime, to: ProviderRuntime | undefined, error: IntegrationError): void {
    const { entry } = route;
    if (this.dependencies.events.hasListeners('failover')) {
      this.dependencies.events.emit('failover', {
        requestId: route.id,
        from: from.id,
        to: to?.id,
        capability: entry.capability,
        operation: entry.operation,
        error: { kind: error.kind, message: error.message },
      });
    }
    this.dependencies.logger.warn(
      { requestId: route.id, operation: entry.key, from: from.id, to: to?.id, kind: error.kind, error: error.message },
      'failing over',
    );
  }

  private emitRequest(route: RouteRequest, provider: string | undefined, startedAt: number, error: IntegrationError | undefined): void {
    if (!this.dependencies.events.hasListeners('request')) return;
    const { entry } = route;
    this.dependencies.events.emit('request', {
      requestId: route.id,
      capability: entry.capability,
      operation: entry.operation,
      provider,
      outcome: error === undefined ? 'success' : 'failure',
      durationMs: performance.now() - startedAt,
      attempts: route.attempts.length + (error === undefined ? 1 : 0),
      error: error === undefined ? undefined : { kind: error.kind, message: error.message },
    });
  }

  /** Emits the request's full ranking as a `route` event, only when something listens. */
  private emitRoute(route: RouteRequest, now: number): void {
    if (!this.dependencies.events.hasListeners('route')) return;
    const { entry, options, idempotent } = route;
    const { ranked, skipped } = rankCandidates(this.ranking, entry.key, options, idempotent, now);
    this.dependencies.events.emit('route', {
      requestId: route.id,
      capability: entry.capability,
      operation: entry.operation,
      ranked: ranked.map(({ runtime, score }) => ({ provider: runtime.id, score })),
      skipped,
    });
  }
}
