import type { RoutingOptions } from './router-options';
import type { ProviderV1, RateLimitStatus } from '../provider/provider';
import { CircuitBreaker, type BreakerState } from '../resilience/circuit-breaker';
import { RateLimiter } from '../resilience/rate-limiter';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../resilience/retry';
import { ProviderStats } from './provider-stats';

/** Default timeout of one attempt, in ms. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

/** Everything the router keeps per registered provider (and so per credential). */
export interface ProviderRuntime {
  readonly id: string;
  readonly provider: ProviderV1;
  readonly stats: ProviderStats;
  readonly breaker: CircuitBreaker;
  /** Undefined when the provider has no rate limits. */
  readonly limiter: RateLimiter | undefined;
  readonly weight: number;
  readonly attemptTimeoutMs: number;
  readonly retryPolicy: RetryPolicy;
  /** Cost per call by `capability.operation`. */
  readonly costs: Readonly<Record<string, number>>;
  /** Epoch ms until which the provider asked not to be called (429 with Retry-After, or its reported limit ran out). */
  pausedUntil: number;
  /** Why it is paused, for `hub.explain`: "Retry-After" or "rate limit used up". */
  pauseReason: string;
  /** The rate-limit state the provider last reported from its API's headers. */
  reportedRateLimit: RateLimitStatus | undefined;
}

/**
 * The share of calls the provider has left, 0..1: the lower of its own
 * token buckets and what its API last reported (until that report's reset).
 */
export function headroomOf(runtime: ProviderRuntime, now: number): number {
  const local = runtime.limiter === undefined ? 1 : runtime.limiter.headroom();
  const reported = runtime.reportedRateLimit;
  if (reported === undefined || reported.limit <= 0 || (reported.resetAt !== undefined && now >= reported.resetAt)) return local;
  const share = reported.remaining / reported.limit;
  return share < local ? share : local;
}

/** A provider's rate-limit state as `hub.rateLimit()` reports it; read-only, nothing is taken. */
export interface ProviderRateLimitState {
  readonly provider: string;
  /** Whether a call could go now: a token left and no pause (Retry-After, or the API's reported limit used up). */
  readonly allowed: boolean;
  /** Calls left now: the lower of the provider's own limits and what its API last reported (until that report's reset); `Infinity` with neither. */
  readonly remaining: number;
  /** The calls per window of the limit `remaining` counts; `Infinity` with no limit. */
  readonly limit: number;
  /** Epoch ms at which the limits are full again and any pause is over (now when they are). */
  readonly resetAt: number;
  /** Milliseconds until a new call could go; 0 when `allowed`. */
  readonly waitMs: number;
}

/** The rate-limit state of `runtime` at `now` (epoch ms, for the pause and the API's report; the limiter reads its own clock). */
export function rateLimitStateOf(runtime: ProviderRuntime, now: number): ProviderRateLimitState {
  const local = runtime.limiter?.status();
  let remaining = local?.remaining ?? Number.POSITIVE_INFINITY;
  let limit = local?.limit ?? Number.POSITIVE_INFINITY;
  let resetAt = local?.resetAt ?? now;
  let waitMs = local?.waitMs ?? 0;
  const reported = runtime.reportedRateLimit;
  const reportHolds = reported !== undefined && reported.limit > 0 && (reported.resetAt === undefined || now < reported.resetAt);
  if (reportHolds && reported.remaining < remaining) {
    remaining = Math.max(0, Math.floor(reported.remaining));
    limit = reported.limit;
    resetAt = Math.max(resetAt, reported.resetAt ?? now);
  }
  if (runtime.pausedUntil > now) {
    waitMs = Math.max(waitMs, runtime.pausedUntil - now);
    resetAt = Math.max(resetAt, runtime.pausedUntil);
  }
  return { provider: runtime.id, allowed: waitMs === 0 && remaining >= 1, remaining, limit, resetAt, waitMs };
}

/** Builds a provider's runtime from the hub's routing options and the provider's manifest. */
export function createProviderRuntime(
  provider: ProviderV1,
  routing: RoutingOptions,
  onBreakerChange: (change: { provider: string; from: BreakerState; to: BreakerState; reason: string }) => void,
  clock: () => number = Date.now,
): ProviderRuntime {
  const id = provider.manifest.id;
  const own = routing.providers?.[id] ?? {};
  const rateLimits = own.rateLimits ?? provider.manifest.rateLimits ?? [];
  const stats = new ProviderStats();
  return {
    id,
    provider,
    stats,
    breaker: new CircuitBreaker({
      ...routing.breaker,
      ...own.breaker,
      now: clock,
      onStateChange: (change) => {
        // A probe that succeeded proved the provider healthy again: its old failures no longer speak for it.
        if (change.from === 'half-open' && change.to === 'closed') stats.successRate = 1;
        onBreakerChange({ provider: id, ...change });
      },
    }),
    limiter:
      rateLimits.length > 0
        ? new RateLimiter(rateLimits, {
            now: clock,
            shared:
              own.sharedRateLimits ??
              (routing.sharedRateLimits === undefined ? undefined : { ...routing.sharedRateLimits, id: `switchyard:${id}` }),
          })
        : undefined,
    weight: own.weight ?? 1,
    attemptTimeoutMs: own.attemptTimeoutMs ?? routing.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
    retryPolicy: { ...DEFAULT_RETRY_POLICY, ...routing.retry, ...own.retry },
    costs: provider.manifest.costs ?? {},
    pausedUntil: 0,
    pauseReason: 'Retry-After',
    reportedRateLimit: undefined,
  };
}
