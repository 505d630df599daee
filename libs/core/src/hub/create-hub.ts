import type { CapabilityContract } from '../capabilities/capability';
import type { computeV1 } from '../capabilities/compute';
import type { functionsV1 } from '../capabilities/functions';
import type { issuesV1 } from '../capabilities/issues';
import type { messagingV1 } from '../capabilities/messaging';
import type { repositoriesV1 } from '../capabilities/repositories';
import type { storageV1 } from '../capabilities/storage';
import { IntegrationError, toIntegrationError } from '../errors/integration-error';
import type { SecretSet } from '../errors/secret-set';
import { EventBus } from '../events/event-bus';
import type { HubEvents, HubEventType } from '../events/hub-events';
import type { ProviderV1 } from '../provider/provider';
import { ProviderRegistry } from '../registry/provider-registry';
import type { CircuitBreakerSnapshot } from '../resilience/circuit-breaker';
import { withDeadline } from '../resilience/deadline';
import type { ProviderMetrics } from '../router/provider-stats';
import { rateLimitStateOf, type ProviderRateLimitState } from '../router/provider-runtime';
import { AttemptContext } from '../router/attempt-context';
import { explainCandidates, type CandidateExplanation } from '../router/ranking';
import { Router, type ParallelOutcome } from '../router/router';
import type { RoutingWeights } from '../router/scoring';
import { DataRouter } from '../placement/data-router';
import { createMemoryPlacementStore, type PlacementStore } from '../placement/placement-store';
import type { EffectivePolicy } from '../placement/policy';
import { Repairer, type RepairSummary } from '../placement/repair';
import { ToolRegistry } from '../tools/tool-registry';
import { silentLogger } from '../utils/logger';
import { createCapabilityFacade, createNamedCapabilityFacade, type CapabilityFacade } from './capability-facade';
import { checkHealth, type ProviderHealth } from './health';
import { attachHubEventBus } from './hub-internals';
import { HubSecrets } from './hub-secrets';
import type { ExecuteOptions, ExecuteResult, HubOptions, HubRequest } from './hub-options';

/** What `hub.explain()` returns: how the router would route a request right now. */
export interface RouteExplanation {
  readonly capability: string;
  readonly operation: string;
  readonly strategy: string;
  readonly weights: RoutingWeights;
  /**
   * The failover policy in force for the operation (the contract's, the hub's
   * `routing.policies` and the call's `policy`, merged): `stateful` false for
   * operations that fail over freely.
   */
  readonly policy: EffectivePolicy;
  /**
   * Eligible candidates in the order they would be tried, then the others
   * with their reasons. Given the request's `input`, a provider that would
   * refuse it (a name its service does not allow) is not eligible, and its
   * reason says why.
   */
  readonly candidates: readonly CandidateExplanation[];
}

/** One provider's metrics plus its breaker's serializable state. */
export interface ProviderReport extends ProviderMetrics {
  readonly breaker: CircuitBreakerSnapshot;
}

/** The hub: the providers, the router over them, and everything a host calls. */
export interface Hub {
  /** The registered providers: find, search, statistics. Register through `hub.register()`. */
  readonly registry: Pick<
    ProviderRegistry,
    'get' | 'list' | 'findByCapability' | 'findByCategory' | 'search' | 'statistics' | 'contract' | 'contracts'
  >;
  /**
   * Secrets this hub redacts besides its providers' and its vault's: add the
   * host's own (a webhook signing secret, a key it logs near). Values cannot
   * be read back; other hubs never see them.
   */
  readonly secrets: SecretSet;
  /**
   * Typed events ({@link HubEvents}; every type is in `HUB_EVENT_TYPES`):
   * `on(type, listener)` for one type, `onAny(({ type, payload }) => ...)`
   * for all of them, present and future. Payloads are redacted the same way
   * for both.
   */
  readonly events: Pick<EventBus<HubEvents>, 'on' | 'off' | 'onAny' | 'offAny'>;
  /** Every operation as a tool for AI agents. */
  readonly tools: ToolRegistry;
  readonly storage: CapabilityFacade<typeof storageV1>;
  readonly messaging: CapabilityFacade<typeof messagingV1>;
  readonly issues: CapabilityFacade<typeof issuesV1>;
  readonly functions: CapabilityFacade<typeof functionsV1>;
  readonly compute: CapabilityFacade<typeof computeV1>;
  readonly repositories: CapabilityFacade<typeof repositoriesV1>;
  /**
   * Any capability as typed methods, a host's own included. The hub learns
   * the contract if it did not know it; throws `conflict` when it holds a
   * different contract under that name.
   *
   * @example
   * ```ts
   * const place = await hub.capability(geocodingV1).geocode({ address: '1 Main St' }); // typed by the contract
   * ```
   */
  capability<Contract extends CapabilityContract>(contract: Contract): CapabilityFacade<Contract>;
  /**
   * Adds a provider and learns the contracts it carries; throws `validation`
   * naming the bad field (or a capability the hub has no contract for), or
   * `conflict` for a taken id or a contract that differs from the one the hub
   * holds under that name.
   */
  register(provider: ProviderV1): void;
  unregister(id: string): boolean;
  /**
   * Routes one call to the best provider, failing over on errors another
   * provider may not have. The second argument is the call's options, or just
   * the provider ids to prefer (`hub.execute(request, ['youtube', 'tiktok'])`).
   */
  execute(request: HubRequest, options?: ExecuteOptions | readonly string[]): Promise<ExecuteResult>;
  /** Runs one call on the `count` best providers at once: every outcome (`all`), or the first success (`race`). */
  executeParallel(request: HubRequest, count: number, options: ExecuteOptions & { readonly mode: 'all' }): Promise<ParallelOutcome[]>;
  executeParallel(request: HubRequest, count: number, options?: ExecuteOptions & { readonly mode?: 'race' }): Promise<ExecuteResult>;
  /** Calls an operation only one provider offers (never routed). */
  callProviderOperation(
    providerId: string,
    operation: string,
    input: unknown,
    options?: Pick<ExecuteOptions, 'deadline' | 'timeoutMs' | 'signal' | 'idempotencyKey'>,
  ): Promise<unknown>;
  /**
   * How the router would route `request` now: the policy in force, ranked
   * candidates with every score term, and why others are skipped (with the
   * `input`, also the providers that would refuse it).
   */
  explain(request: Omit<HubRequest, 'input'> & { readonly input?: unknown }, options?: ExecuteOptions): RouteExplanation;
  /**
   * Where stateful writes went: placement records and repair hints
   * (`createHub({ placements })`; default: in this process's memory).
   */
  readonly placements: PlacementStore;
  /**
   * Copies to a provider what it missed while it was down (mirrored writes)
   * and deletes there what was deleted or replaced meanwhile, from the hints
   * in `placements`; every provider with hints, or the one named. Runs also
   * start by themselves when a provider's circuit closes again
   * (`routing.repair.automatic`). Resolves with one summary per provider;
   * progress is reported as `repair` events.
   */
  repair(provider?: string): Promise<RepairSummary[]>;
  /** Runs every provider's health check now; results feed the score. */
  health(): Promise<ProviderHealth[]>;
  /** Per provider: calls, failures, p50/p95 latency, EWMA, cost, breaker state. */
  metrics(): Record<string, ProviderReport>;
  /**
   * A provider's rate-limit state as the router sees it now (its token
   * buckets, a Retry-After pause, what its API last reported), without
   * taking a token; undefined when no such provider is registered.
   */
  rateLimit(provider: string): ProviderRateLimitState | undefined;
  /** Stops periodic health checks and rate-limiter timers. */
  close(): Promise<void>;
}

const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 5_000;

/** `candidates` with the ones that would refuse the input marked ineligible, saying why; the rest keep their order and are ranked anew. */
function withRefusals(
  candidates: readonly CandidateExplanation[],
  refuses: (provider: string) => string | undefined,
): CandidateExplanation[] {
  let rank = 0;
  const marked = candidates.map((candidate) => {
    const refusal = candidate.eligible ? refuses(candidate.provider) : undefined;
    if (refusal !== undefined) return { ...candidate, eligible: false, rank: undefined, reason: `refuses this input: ${refusal}` };
    if (!candidate.eligible) return candidate;
    rank += 1;
    return { ...candidate, rank };
  });
  return [...marked.filter((candidate) => candidate.eligible), ...marked.filter((candidate) => !candidate.eligible)];
}

/**
 * Creates a hub over the given providers.
 *
 * @example
 * ```ts
 * const hub = createHub({ providers: [createGithub(), createGitlab()], routing: { providers: { github: { weight: 2 } } } });
 * const issue = await hub.issues.createIssue({ project: 'acme/web', title: 'Broken link' }, { prefer: ['github'] });
 * ```
 */
export function createHub(options: HubOptions = {}): Hub {
  const routing = options.routing ?? {};
  const secrets = new HubSecrets(options.credentials?.secrets);
  const logger = secrets.logger(options.logger ?? silentLogger);
  const events = new EventBus<HubEvents>(
    (error, type) => logger.error({ type, error: toIntegrationError(error).message }, 'event listener threw'),
    secrets.eventPayload,
  );
  for (const [type, listener] of Object.entries(options.events ?? {})) {
    if (listener !== undefined) events.on(type as HubEventType, listener as never);
  }
  const registry = new ProviderRegistry(options.capabilities ?? []);
  const router = new Router({
    registry,
    findContract: (name, version) => registry.contract(name, version),
    events,
    logger,
    credentials: options.credentials,
    routing,
    contractsByName: registry.contractsByName,
    clock: options.clock,
  });
  const placements = options.placements ?? createMemoryPlacementStore();
  const contract = (name: string) => registry.contract(name);
  const dataRouter = new DataRouter({ router, placements, events, logger, policies: routing.policies, contract });
  const repairer = new Repairer({ router, placements, events, logger, contract, settings: routing.repair ?? {} });
  if (routing.repair?.automatic !== false) {
    events.on('breaker', (change) => {
      if (change.to === 'closed') repairer.schedule(change.provider);
    });
  }
  const healthCheckTimeoutMs = routing.healthCheckTimeoutMs ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS;
  const stopRefreshEvents = options.credentials?.onRefresh?.((refresh) =>
    events.emit('credential.refresh', {
      integrationId: refresh.integrationId,
      outcome: refresh.outcome,
      durationMs: refresh.durationMs,
      error: refresh.error && { kind: refresh.error.kind, message: secrets.text(refresh.error.message) },
    }),
  );

  // Every error a caller gets passes here: redacted with this hub's secrets (its providers', its vault's, its own).
  const rethrowRedacted = (error: unknown): never => {
    throw secrets.error(error);
  };
  const redactResult = (result: ExecuteResult): ExecuteResult =>
    result.failedAttempts.length === 0
      ? result
      : { ...result, failedAttempts: result.failedAttempts.map((attempt) => ({ ...attempt, message: secrets.text(attempt.message) })) };
  const route = (request: HubRequest, executeOptions: ExecuteOptions | undefined): Promise<ExecuteResult> =>
    dataRouter.execute(request, executeOptions ?? {}).then(redactResult, rethrowRedacted);
  const routeValue = async (capability: string, operation: string, input: unknown, executeOptions?: ExecuteOptions): Promise<unknown> =>
    (await route({ capability, operation, input }, executeOptions)).value;
  const execute = (request: HubRequest, executeOptions?: ExecuteOptions | readonly string[]): Promise<ExecuteResult> =>
    route(request, Array.isArray(executeOptions) ? { prefer: executeOptions } : (executeOptions as ExecuteOptions | undefined));
  const facade = <Contract extends CapabilityContract>(contract: Contract): CapabilityFacade<Contract> =>
    createCapabilityFacade(contract, (operation, input, executeOptions) => routeValue(contract.name, operation, input, executeOptions));
  const builtIn = <Contract extends CapabilityContract>(name: Contract['name']): CapabilityFacade<Contract> =>
    createNamedCapabilityFacade((operation, input, executeOptions) => routeValue(name, operation, input, executeOptions));

  const callProviderOperation: Hub['callProviderOperation'] = (providerId, name, input, callOptions = {}) =>
    runProviderOperation(providerId, name, input, callOptions).catch(rethrowRedacted);
  const runProviderOperation: Hub['callProviderOperation'] = async (providerId, name, input, callOptions = {}) => {
    const provider = registry.get(providerId);
    const operation = provider?.operations?.[name];
    if (provider === undefined || operation === undefined || !Object.hasOwn(provider.operations ?? {}, name)) {
      throw new IntegrationError({
        kind: 'unsupported',
        message: `Provider "${providerId}" has no operation "${name}"`,
        provider: providerId,
        operation: name,
      });
    }
    const parsed = operation.input.safeParse(input);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
      throw new IntegrationError({
        kind: 'validation',
        message: `Invalid input for ${providerId}.${name}: ${problems.join('; ')}`,
        provider: providerId,
        operation: name,
      });
    }
    const deadline = callOptions.deadline ?? Date.now() + (callOptions.timeoutMs ?? routing.requestTimeoutMs ?? 30_000);
    try {
      const raw = await withDeadline(
        (scope) => operation.execute(parsed.data, new AttemptContext(scope, 1, callOptions.idempotencyKey, deadline, logger)),
        { deadline, signal: callOptions.signal, provider: providerId, operation: name },
      );
      return operation.output.parse(raw);
    } catch (error) {
      throw toIntegrationError(error, { provider: providerId, operation: name });
    }
  };

  const tools = new ToolRegistry({
    registry,
    execute: routeValue,
    callProviderOperation,
  });

  let healthTimer: NodeJS.Timeout | undefined;
  if (routing.healthCheckIntervalMs !== undefined) {
    healthTimer = setInterval(() => {
      checkHealth(router.runtimes.values(), healthCheckTimeoutMs, events, (text) => secrets.text(text)).catch((error: unknown) =>
        logger.error({ error: toIntegrationError(error).message }, 'health checks failed'),
      );
    }, routing.healthCheckIntervalMs);
    healthTimer.unref();
  }

  const hub: Hub = {
    registry,
    events,
    tools,
    storage: builtIn<typeof storageV1>('storage'),
    messaging: builtIn<typeof messagingV1>('messaging'),
    issues: builtIn<typeof issuesV1>('issues'),
    functions: builtIn<typeof functionsV1>('functions'),
    compute: builtIn<typeof computeV1>('compute'),
    repositories: builtIn<typeof repositoriesV1>('repositories'),
    capability(contract) {
      const before = registry.revision;
      registry.addContract(contract);
      if (registry.revision !== before) {
        events.emit('registry', { change: 'contract.added', id: contract.name, revision: registry.revision });
      }
      return facade(contract);
    },
    secrets: secrets.own,
    register(provider) {
      registry.register(provider);
      router.addProvider(provider);
      secrets.setProvider(provider.manifest.id, provider.secrets);
      events.emit('registry', { change: 'provider.registered', id: provider.manifest.id, revision: registry.revision });
    },
    unregister(id) {
      router.removeProvider(id);
      secrets.setProvider(id, undefined);
      const removed = registry.unregister(id);
      if (removed) events.emit('registry', { change: 'provider.unregistered', id, revision: registry.revision });
      return removed;
    },
    execute,
    executeParallel: (async (request: HubRequest, count: number, parallelOptions: ExecuteOptions & { mode?: 'all' | 'race' } = {}) => {
      const result = await router.executeParallel(request, count, parallelOptions.mode ?? 'race', parallelOptions).catch(rethrowRedacted);
      if (!Array.isArray(result)) return redactResult(result);
      return result.map((outcome: ParallelOutcome) =>
        outcome.status === 'rejected' ? { ...outcome, error: secrets.error(outcome.error) } : outcome,
      );
    }) as Hub['executeParallel'],
    callProviderOperation,
    explain(request, explainOptions = {}) {
      const entry = router.resolveOperation(request.capability, request.operation);
      const policy = dataRouter.policy(entry, explainOptions.policy);
      let candidates = explainCandidates(router.ranking, entry.key, explainOptions);
      if (request.input !== undefined) {
        const input = router.parseInput(entry, request.input);
        candidates = withRefusals(candidates, (id) =>
          registry.get(id)?.refuses?.({ capability: entry.capability, operation: entry.operation, input }),
        );
      }
      return {
        capability: entry.capability,
        operation: entry.operation,
        strategy: router.ranking.strategy.name,
        weights: router.ranking.weights,
        policy,
        candidates,
      };
    },
    placements,
    async repair(provider) {
      const providers = provider === undefined ? [...router.runtimes.keys()] : [provider];
      const summaries: RepairSummary[] = [];
      for (const id of providers) {
        if (provider !== undefined || (await placements.countHints(id)) > 0) summaries.push(await repairer.repair(id));
      }
      return summaries;
    },
    health: () => checkHealth(router.runtimes.values(), healthCheckTimeoutMs, events, (text) => secrets.text(text)),
    metrics() {
      const report: Record<string, ProviderReport> = {};
      for (const runtime of router.runtimes.values()) {
        const stats = runtime.stats.snapshot();
        const lastError = stats.lastError && { ...stats.lastError, message: secrets.text(stats.lastError.message) };
        report[runtime.id] = { ...stats, lastError, breaker: runtime.breaker.toJSON() };
      }
      return report;
    },
    rateLimit(provider) {
      const runtime = router.runtimes.get(provider);
      return runtime === undefined ? undefined : rateLimitStateOf(runtime, Date.now());
    },
    async close() {
      if (healthTimer !== undefined) clearInterval(healthTimer);
      await repairer.settled();
      stopRefreshEvents?.();
      await Promise.all([...router.runtimes.values()].map((runtime) => runtime.limiter?.disconnect() ?? Promise.resolve()));
    },
  };
  attachHubEventBus(hub, events);
  for (const provider of options.providers ?? []) hub.register(provider);
  return hub;
}
