import type { CredentialLookup } from '../credentials/credential-lookup';
import { IntegrationError } from '../errors/integration-error';
import type { ProviderRegistry } from '../registry/provider-registry';
import type { BreakerState } from '../resilience/circuit-breaker';
import { headroomOf, type ProviderRuntime } from './provider-runtime';
import type { ExecuteOptions } from './router-options';
import {
  LATENCY_FLOOR_MS,
  weightedSumStrategy,
  type RoutingWeights,
  type ScoreInputs,
  type ScoreTerms,
  type ScoringStrategy,
} from './scoring';

/** What ranking reads; the router owns it. */
export interface RankingContext {
  readonly runtimes: ReadonlyMap<string, ProviderRuntime>;
  readonly registry: ProviderRegistry;
  readonly credentials: CredentialLookup | undefined;
  readonly strategy: ScoringStrategy;
  readonly weights: RoutingWeights;
}

/** One provider as `hub.explain()` shows it. */
export interface CandidateExplanation {
  readonly provider: string;
  /** Whether the router would try it at all. */
  readonly eligible: boolean;
  /** Why it is not eligible. */
  readonly reason: string | undefined;
  /** 1-based position in the order the router would try; undefined when not eligible. */
  readonly rank: number | undefined;
  readonly preferred: boolean;
  readonly score: number | undefined;
  readonly terms: ScoreTerms | undefined;
  readonly breaker: BreakerState;
  /** 0..1 share of rate-limit tokens left (1 without limits). */
  readonly headroom: number;
  /** Calls currently in flight. */
  readonly inFlight: number;
  /** Milliseconds the provider asked us to wait (Retry-After, or its reported rate limit ran out), 0 when none. */
  readonly pausedForMs: number;
}

/** Reasons a provider is skipped because the caller's options rule it out. */
const NOT_IN_ONLY = 'not listed in options.only';
const EXCLUDED = 'excluded by options.exclude';

/** Why `runtime` may not take the call at all (the caller's options, missing credentials), or undefined if it may. */
function unusable(context: RankingContext, runtime: ProviderRuntime, options: ExecuteOptions): string | undefined {
  const id = runtime.id;
  if (options.only !== undefined && !options.only.includes(id)) return NOT_IN_ONLY;
  if (options.exclude?.includes(id) === true) return EXCLUDED;
  if (runtime.provider.isConfigured?.() === false) return 'not configured: no usable credentials';
  if (context.credentials !== undefined && !context.credentials.has(id)) return 'no credentials in the vault';
  return undefined;
}

/** Why `runtime` may not take the call now, or undefined if it may. */
function ineligibility(context: RankingContext, runtime: ProviderRuntime, options: ExecuteOptions, now: number): string | undefined {
  const reason = unusable(context, runtime, options);
  if (reason !== undefined) return reason;
  if (!runtime.breaker.isCallPermitted()) return `circuit ${runtime.breaker.state}`;
  if (runtime.pausedUntil > now) return `asked to wait ${runtime.pausedUntil - now} ms (${runtime.pauseReason})`;
  return undefined;
}

function scoreInputs(runtime: ProviderRuntime, key: string): ScoreInputs {
  return {
    provider: runtime.id,
    weight: runtime.weight,
    successRate: runtime.stats.successRate,
    latencyMs: runtime.stats.latencyEwmaMs,
    costPerCall: runtime.costs[key] ?? 0,
    headroom: headroomOf(runtime, Date.now()),
    inFlight: runtime.stats.inFlight,
  };
}

/**
 * The candidates of one request, handed out in the order the router tries
 * them: preferred first (in the caller's order), then a half-open provider
 * due for its probe (only when `probeFirst`: idempotent calls, so a failed
 * probe can fail over), then by score, ties by registration order. Never
 * holds a provider that lacks the operation.
 *
 * Scores are computed once, on the first pick that needs them, and the best
 * remaining candidate is found by one scan per pick: the success path never
 * sorts.
 */
export class CandidateQueue {
  /** How many candidates were eligible at the start. */
  readonly size: number;
  /** Eligible candidates in registration order; a taken one becomes undefined. */
  private readonly remaining: (ProviderRuntime | undefined)[];
  private left: number;
  private scores: number[] | undefined;
  private readonly context: RankingContext;
  private readonly key: string;
  private readonly prefer: readonly string[] | undefined;
  private readonly probeFirst: boolean;

  constructor(context: RankingContext, key: string, options: ExecuteOptions, probeFirst: boolean, now: number) {
    const remaining: ProviderRuntime[] = [];
    for (const provider of context.registry.candidates(key)) {
      const runtime = context.runtimes.get(provider.manifest.id);
      if (runtime !== undefined && ineligibility(context, runtime, options, now) === undefined) remaining.push(runtime);
    }
    this.remaining = remaining;
    this.size = remaining.length;
    this.left = remaining.length;
    this.context = context;
    this.key = key;
    this.prefer = options.prefer !== undefined && options.prefer.length > 0 ? options.prefer : undefined;
    this.probeFirst = probeFirst;
  }

  /** Takes the next candidate, or undefined when none is left. */
  next(): ProviderRuntime | undefined {
    const index = this.nextIndex();
    if (index === -1) return undefined;
    const runtime = this.remaining[index];
    this.remaining[index] = undefined;
    this.left -= 1;
    return runtime;
  }

  /** The candidate {@link CandidateQueue.next} would return, without taking it. */
  peek(): ProviderRuntime | undefined {
    const index = this.nextIndex();
    return index === -1 ? undefined : this.remaining[index];
  }

  /** A remaining candidate's score, for events and explanations. */
  scoreOf(runtime: ProviderRuntime): number {
    const index = this.remaining.indexOf(runtime);
    return index === -1 ? 1 : (this.scoresNow()[index] ?? 1);
  }

  private nextIndex(): number {
    const remaining = this.remaining;
    if (this.left === 0) return -1;
    if (this.prefer !== undefined) {
      for (const id of this.prefer) {
        for (let index = 0; index < remaining.length; index += 1) if (remaining[index]?.id === id) return index;
      }
    }
    if (this.probeFirst) {
      for (let index = 0; index < remaining.length; index += 1) if (remaining[index]?.breaker.state === 'half-open') return index;
    }
    let best = -1;
    if (this.left === 1) {
      for (let index = 0; index < remaining.length; index += 1) if (remaining[index] !== undefined) return index;
    }
    const scores = this.scoresNow();
    for (let index = 0; index < remaining.length; index += 1) {
      if (remaining[index] !== undefined && (best === -1 || scores[index]! > scores[best]!)) best = index;
    }
    return best;
  }

  private scoresNow(): number[] {
    if (this.scores === undefined) {
      const { strategy, weights } = this.context;
      // Scored once, over the candidates not yet taken, so later picks keep the same normalization.
      if (strategy === weightedSumStrategy) {
        this.scores = weightedSumScores(this.remaining, this.key, weights);
      } else {
        const runtimes = this.remaining.filter((runtime): runtime is ProviderRuntime => runtime !== undefined);
        const scores = strategy.score(
          runtimes.map((runtime) => scoreInputs(runtime, this.key)),
          weights,
        );
        this.scores = this.remaining.map((runtime) =>
          runtime === undefined ? Number.NEGATIVE_INFINITY : scores[runtimes.indexOf(runtime)]!.score,
        );
      }
    }
    return this.scores;
  }
}

/**
 * The primary provider for `key`: the first of `options.prefer` that may
 * take it, else the one with the highest configured weight, ties by
 * registration order. Health does not enter: a `primary-only` call goes to
 * the same provider whether it is up or not, and fails while it is down.
 * Providers that are excluded, not in `options.only`, unconfigured or
 * without credentials are passed over. Undefined when none is left.
 */
export function primaryProvider(context: RankingContext, key: string, options: ExecuteOptions): string | undefined {
  const usable = context.registry
    .candidates(key)
    .map((provider) => context.runtimes.get(provider.manifest.id))
    .filter((runtime): runtime is ProviderRuntime => runtime !== undefined && unusable(context, runtime, options) === undefined);
  const preferred = options.prefer?.find((id) => usable.some((runtime) => runtime.id === id));
  if (preferred !== undefined) return preferred;
  let primary: ProviderRuntime | undefined;
  for (const runtime of usable) if (primary === undefined || runtime.weight > primary.weight) primary = runtime;
  return primary?.id;
}

/**
 * The eligible providers for `key` in the order the router tries them (see
 * {@link CandidateQueue}), with their scores, and the others with the reason
 * each is skipped.
 */
export function rankCandidates(
  context: RankingContext,
  key: string,
  options: ExecuteOptions,
  probeFirst: boolean,
  now: number,
): { ranked: { runtime: ProviderRuntime; score: number }[]; skipped: { provider: string; reason: string }[] } {
  const queue = new CandidateQueue(context, key, options, probeFirst, now);
  const ranked: { runtime: ProviderRuntime; score: number }[] = [];
  for (let runtime = queue.peek(); runtime !== undefined; runtime = queue.peek()) {
    ranked.push({ runtime, score: queue.scoreOf(runtime) });
    queue.next();
  }
  const skipped: { provider: string; reason: string }[] = [];
  for (const provider of context.registry.candidates(key)) {
    const runtime = context.runtimes.get(provider.manifest.id);
    const reason = runtime === undefined ? undefined : ineligibility(context, runtime, options, now);
    if (reason !== undefined) skipped.push({ provider: provider.manifest.id, reason });
  }
  return { ranked, skipped };
}

/**
 * The default strategy's scores without building score objects: the same
 * numbers as `weightedSumStrategy.score`. Holes (taken candidates) score
 * negative infinity and do not count toward normalization.
 */
function weightedSumScores(runtimes: readonly (ProviderRuntime | undefined)[], key: string, weights: RoutingWeights): number[] {
  let maxWeight = 0;
  let minLatency = Number.POSITIVE_INFINITY;
  let maxCost = 0;
  for (const runtime of runtimes) {
    if (runtime === undefined) continue;
    if (runtime.weight > maxWeight) maxWeight = runtime.weight;
    const latency = runtime.stats.latencyEwmaMs;
    if (latency !== undefined && latency < minLatency) minLatency = latency;
    const cost = runtime.costs[key] ?? 0;
    if (cost > maxCost) maxCost = cost;
  }
  const scores: number[] = [];
  for (const runtime of runtimes) {
    if (runtime === undefined) {
      scores.push(Number.NEGATIVE_INFINITY);
      continue;
    }
    const latency = runtime.stats.latencyEwmaMs;
    const successRate = runtime.stats.successRate;
    const headroom =
      runtime.reportedRateLimit === undefined
        ? runtime.limiter === undefined
          ? 1
          : runtime.limiter.headroom()
        : headroomOf(runtime, Date.now());
    scores.push(
      weights.priority * (maxWeight === 0 ? 1 : runtime.weight / maxWeight) +
        weights.successRate * (successRate < 0 ? 0 : successRate > 1 ? 1 : successRate) +
        weights.latency *
          (latency === undefined || minLatency === Number.POSITIVE_INFINITY
            ? 1
            : (minLatency + LATENCY_FLOOR_MS) / (latency + LATENCY_FLOOR_MS)) +
        weights.cost * (maxCost === 0 ? 1 : 1 - (runtime.costs[key] ?? 0) / maxCost) +
        weights.headroom * (headroom < 0 ? 0 : headroom > 1 ? 1 : headroom) +
        weights.load / (1 + runtime.stats.inFlight),
    );
  }
  return scores;
}

/** Every provider registered for `key`, eligible ones in router order first, each with its score terms or the reason it is skipped. */
export function explainCandidates(
  context: RankingContext,
  key: string,
  options: ExecuteOptions,
  probeFirst = true,
): CandidateExplanation[] {
  const now = Date.now();
  const ranked = rankCandidates(context, key, options, probeFirst, now).ranked.map((entry) => entry.runtime);
  const runtimes = context.registry
    .candidates(key)
    .map((provider) => context.runtimes.get(provider.manifest.id))
    .filter((runtime): runtime is ProviderRuntime => runtime !== undefined);
  const breakdowns = context.strategy.score(
    runtimes.map((runtime) => scoreInputs(runtime, key)),
    context.weights,
  );
  const explanations = runtimes.map((runtime, index): CandidateExplanation => {
    const reason = ineligibility(context, runtime, options, now);
    const rank = ranked.indexOf(runtime);
    return {
      provider: runtime.id,
      eligible: reason === undefined,
      reason,
      rank: rank === -1 ? undefined : rank + 1,
      preferred: options.prefer?.includes(runtime.id) === true,
      score: breakdowns[index]!.score,
      terms: breakdowns[index]!.terms,
      breaker: runtime.breaker.state,
      headroom: headroomOf(runtime, now),
      inFlight: runtime.stats.inFlight,
      pausedForMs: Math.max(0, runtime.pausedUntil - now),
    };
  });
  return explanations.sort((left, right) => (left.rank ?? Number.MAX_SAFE_INTEGER) - (right.rank ?? Number.MAX_SAFE_INTEGER));
}

const CALLER_REASONS: ReadonlySet<string | undefined> = new Set([NOT_IN_ONLY, EXCLUDED]);

function ruledOutByCaller(reason: string | undefined): boolean {
  return CALLER_REASONS.has(reason);
}

/** The error for a request no provider can take: `unsupported`, or `circuit_open` when every capable provider's circuit is open. */
export function noCandidateError(context: RankingContext, key: string, options: ExecuteOptions): IntegrationError {
  const explanations = explainCandidates(context, key, options);
  if (explanations.length === 0) {
    return new IntegrationError({ kind: 'unsupported', message: `No registered provider supports ${key}`, operation: key });
  }
  const reasons = explanations.map((candidate) => `${candidate.provider} (${candidate.reason ?? 'eligible'})`).join(', ');
  // Providers the caller ruled out (only, exclude) do not count: if every provider it allowed has an open circuit, that is the answer.
  const allowed = explanations.filter((candidate) => !ruledOutByCaller(candidate.reason));
  const allOpen = allowed.length > 0 && allowed.every((candidate) => candidate.reason?.startsWith('circuit ') === true);
  return new IntegrationError({
    kind: allOpen ? 'circuit_open' : 'unsupported',
    message: `No provider can take ${key} now: ${reasons}`,
    operation: key,
  });
}
