/**
 * How much each term counts in a provider's score. Any non-negative numbers;
 * only their ratios matter. Defaults: {@link DEFAULT_ROUTING_WEIGHTS}.
 */
export interface RoutingWeights {
  /** The provider's configured weight (`routing.providers[id].weight`), relative to the best candidate's. */
  readonly priority: number;
  /** Recent success rate (an exponentially weighted average of outcomes and health checks). */
  readonly successRate: number;
  /** Latency (EWMA), relative to the fastest candidate. */
  readonly latency: number;
  /** Cost per call of this operation, relative to the most expensive candidate. */
  readonly cost: number;
  /** Rate-limit headroom: the share of tokens left in the provider's buckets. */
  readonly headroom: number;
  /** In-flight load: 1 / (1 + calls in flight). */
  readonly load: number;
}

/** The defaults: configured priority and success rate dominate; latency, cost, headroom and load break ties. */
export const DEFAULT_ROUTING_WEIGHTS: RoutingWeights = Object.freeze({
  priority: 0.3,
  successRate: 0.3,
  latency: 0.15,
  cost: 0.1,
  headroom: 0.1,
  load: 0.05,
});

/** What the router knows about one candidate when it scores it. */
export interface ScoreInputs {
  readonly provider: string;
  /** Configured weight, >= 0 (default 1). */
  readonly weight: number;
  /** 0..1. */
  readonly successRate: number;
  /** EWMA latency in ms; undefined before the first call. */
  readonly latencyMs: number | undefined;
  /** Cost of one call of this operation, in US dollars (0 when unknown). */
  readonly costPerCall: number;
  /** 0..1. */
  readonly headroom: number;
  readonly inFlight: number;
}

/** Each term of a score, 0..1, before weighting. */
export type ScoreTerms = { readonly [Term in keyof RoutingWeights]: number };

/** A candidate's score and the terms it is made of. */
export interface ScoreBreakdown {
  readonly provider: string;
  readonly score: number;
  readonly terms: ScoreTerms;
}

/** Turns candidates into scores; replace it through `routing.strategy`. */
export interface ScoringStrategy {
  readonly name: string;
  /** Scores every candidate; higher is better. Returns one breakdown per input, in input order. */
  score(candidates: readonly ScoreInputs[], weights: RoutingWeights): ScoreBreakdown[];
}

/** Latencies below this many ms count as equal, so microsecond noise cannot reorder fast providers. */
export const LATENCY_FLOOR_MS = 1;

/**
 * The default strategy: a weighted sum of six terms, each normalized to 0..1
 * among the candidates (see docs/routing.md for the formula and examples).
 */
export const weightedSumStrategy: ScoringStrategy = Object.freeze({
  name: 'weighted-sum',
  score(candidates: readonly ScoreInputs[], weights: RoutingWeights): ScoreBreakdown[] {
    let maxWeight = 0;
    let minLatency = Number.POSITIVE_INFINITY;
    let maxCost = 0;
    for (const candidate of candidates) {
      if (candidate.weight > maxWeight) maxWeight = candidate.weight;
      if (candidate.latencyMs !== undefined && candidate.latencyMs < minLatency) minLatency = candidate.latencyMs;
      if (candidate.costPerCall > maxCost) maxCost = candidate.costPerCall;
    }
    return candidates.map((candidate) => {
      const terms: ScoreTerms = {
        priority: maxWeight === 0 ? 1 : candidate.weight / maxWeight,
        successRate: clamp(candidate.successRate),
        latency:
          candidate.latencyMs === undefined || minLatency === Number.POSITIVE_INFINITY
            ? 1
            : (minLatency + LATENCY_FLOOR_MS) / (candidate.latencyMs + LATENCY_FLOOR_MS),
        cost: maxCost === 0 ? 1 : 1 - candidate.costPerCall / maxCost,
        headroom: clamp(candidate.headroom),
        load: 1 / (1 + candidate.inFlight),
      };
      const score =
        weights.priority * terms.priority +
        weights.successRate * terms.successRate +
        weights.latency * terms.latency +
        weights.cost * terms.cost +
        weights.headroom * terms.headroom +
        weights.load * terms.load;
      return { provider: candidate.provider, score, terms };
    });
  },
});

function clamp(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}
