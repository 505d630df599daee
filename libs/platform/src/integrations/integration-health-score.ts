import type { ProviderMetrics } from '@switchyard/core';

/** Tuning of {@link computeHealthScore}. Every field is optional. */
export interface HealthScoreOptions {
  /** The p95 latency at or under which latency costs nothing, in ms. Default 1 000. */
  readonly latencyTargetMs?: number | undefined;
  /** After this long without a success, the recency term has halved, in ms. Default 3 600 000 (one hour). */
  readonly recencyHalfLifeMs?: number | undefined;
}

/** The three terms of a health score, each 0..1 (1 is best). */
export interface HealthScoreTerms {
  /** `1 - failures / calls`; 1 before the first call. */
  readonly success: number;
  /** `min(1, latencyTargetMs / p95)`; 1 before the first call. */
  readonly latency: number;
  /** `0.5 ^ (msSinceLastSuccess / recencyHalfLifeMs)`; 1 with no activity at all, 0 when calls were made and none succeeded. */
  readonly recency: number;
}

/** What a health score is called: `healthy` from 80, `degraded` from 50, `unhealthy` below. */
export type HealthGrade = 'healthy' | 'degraded' | 'unhealthy';

/** A 0..100 health score with the terms it was computed from. */
export interface HealthScore {
  /** `round(100 * (0.5 * success + 0.3 * latency + 0.2 * recency))`. */
  readonly score: number;
  readonly grade: HealthGrade;
  readonly terms: HealthScoreTerms;
}

/** The share of the score each term carries; they sum to 1. */
export const HEALTH_SCORE_WEIGHTS = Object.freeze({ success: 0.5, latency: 0.3, recency: 0.2 });

const DEFAULT_LATENCY_TARGET_MS = 1_000;
const DEFAULT_RECENCY_HALF_LIFE_MS = 3_600_000;

/** The numbers a health score reads: a provider's metrics, plus the last success seen elsewhere (e.g. a connection test). */
export interface HealthScoreInputs {
  readonly metrics: Pick<ProviderMetrics, 'calls' | 'failures' | 'latencyP95Ms' | 'lastSuccessAt'> | undefined;
  /** Epoch ms of the last successful connection test, if any. */
  readonly lastTestSuccessAt?: number | undefined;
  /** Whether any connection test failed (counts as activity without success). */
  readonly testFailed?: boolean | undefined;
  /** Epoch ms now. */
  readonly now: number;
}

/**
 * Scores an integration's health 0..100:
 *
 * `score = round(100 * (0.5 * success + 0.3 * latency + 0.2 * recency))`
 *
 * - `success = 1 - failures / calls` (1 when no calls were made);
 * - `latency = min(1, latencyTargetMs / p95 latency)` (1 when unknown);
 * - `recency = 0.5 ^ (age / recencyHalfLifeMs)`, where `age` is the time
 *   since the later of the last successful call and the last successful
 *   connection test; 1 with no activity at all, 0 when there was activity
 *   but never a success.
 *
 * @example
 * ```ts
 * computeHealthScore({ metrics: hub.metrics()['github'], now: Date.now() }).score; // 0..100
 * ```
 */
export function computeHealthScore(inputs: HealthScoreInputs, options: HealthScoreOptions = {}): HealthScore {
  const latencyTargetMs = options.latencyTargetMs ?? DEFAULT_LATENCY_TARGET_MS;
  const halfLifeMs = options.recencyHalfLifeMs ?? DEFAULT_RECENCY_HALF_LIFE_MS;
  const calls = inputs.metrics?.calls ?? 0;
  const failures = inputs.metrics?.failures ?? 0;
  const success = calls === 0 ? 1 : 1 - failures / calls;
  const p95 = inputs.metrics?.latencyP95Ms;
  const latency = p95 === undefined || p95 <= 0 ? 1 : Math.min(1, latencyTargetMs / p95);
  const lastSuccessAt = latest(inputs.metrics?.lastSuccessAt, inputs.lastTestSuccessAt);
  const active = calls > 0 || inputs.lastTestSuccessAt !== undefined || inputs.testFailed === true;
  const recency = lastSuccessAt === undefined ? (active ? 0 : 1) : Math.pow(0.5, Math.max(0, inputs.now - lastSuccessAt) / halfLifeMs);
  const terms: HealthScoreTerms = { success, latency, recency };
  const score = Math.round(
    100 * (HEALTH_SCORE_WEIGHTS.success * success + HEALTH_SCORE_WEIGHTS.latency * latency + HEALTH_SCORE_WEIGHTS.recency * recency),
  );
  return { score, grade: score >= 80 ? 'healthy' : score >= 50 ? 'degraded' : 'unhealthy', terms };
}

function latest(first: number | undefined, second: number | undefined): number | undefined {
  if (first === undefined) return second;
  if (second === undefined) return first;
  return Math.max(first, second);
}
