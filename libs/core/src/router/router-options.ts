import type { DataPolicy, ReadPolicy, WritePolicy } from '../capabilities/data-policy';
import type { AttemptRecord } from '../errors/integration-error';
import type { CircuitBreakerOptions } from '../resilience/circuit-breaker';
import type { RateLimit, SharedRateLimitOptions } from '../resilience/rate-limiter';
import type { RetryPolicy } from '../resilience/retry';
import type { RoutingWeights, ScoringStrategy } from './scoring';

/** Breaker settings a host may set (the hub wires the state-change callback itself). */
export type BreakerSettings = Omit<CircuitBreakerOptions, 'onStateChange' | 'now'>;

/** Routing settings for one provider. */
export interface ProviderRoutingOptions {
  /** Relative preference among candidates, >= 0. Default 1. */
  readonly weight?: number;
  /** Timeout of one attempt in ms. Default: `routing.attemptTimeoutMs`. */
  readonly attemptTimeoutMs?: number;
  /** Retry policy on this provider. Default: `routing.retry`. */
  readonly retry?: Partial<RetryPolicy>;
  /** Circuit breaker. Default: `routing.breaker`. */
  readonly breaker?: BreakerSettings;
  /** Rate limits to stay under. Default: the manifest's `rateLimits`. `[]` turns throttling off. */
  readonly rateLimits?: readonly RateLimit[];
  /**
   * Share this provider's limits with other processes through bottleneck's
   * Redis datastore (the host installs `ioredis` or `redis@3`). Every call
   * then queues through Redis. Default: limits are per process.
   */
  readonly sharedRateLimits?: SharedRateLimitOptions;
}

/** How the hub routes calls. Every field is optional. */
export interface RoutingOptions {
  /** Score weights; missing ones keep their defaults (docs/routing.md). */
  readonly weights?: Partial<RoutingWeights>;
  /** Replaces the weighted-sum scoring. */
  readonly strategy?: ScoringStrategy;
  /** A request's deadline when the caller gives none, in ms. Default 30 000. */
  readonly requestTimeoutMs?: number;
  /** Timeout of one attempt on one provider, in ms. Default 10 000. */
  readonly attemptTimeoutMs?: number;
  /** Default retry policy (after the first failure, idempotent operations only). */
  readonly retry?: Partial<RetryPolicy>;
  /** Default circuit breaker settings. */
  readonly breaker?: BreakerSettings;
  /**
   * Share every provider's limits across processes through Redis, with ids
   * `switchyard:<provider id>`; a provider's own `sharedRateLimits` wins.
   * Default: limits are per process.
   */
  readonly sharedRateLimits?: Omit<SharedRateLimitOptions, 'id'>;
  /** Longest wait for a rate-limit slot before the router fails over instead, in ms. Default 1 000. */
  readonly maxQueueWaitMs?: number;
  /** Run every provider's health check this often, in ms; off when unset. */
  readonly healthCheckIntervalMs?: number;
  /** Timeout of one health check in ms. Default 5 000. */
  readonly healthCheckTimeoutMs?: number;
  /**
   * Also check every provider's output against the contract. Default false:
   * providers parse their APIs' responses themselves and the contract suites
   * check their outputs; turn it on in tests or while developing a provider
   * (it costs about a microsecond a call).
   */
  readonly validateOutput?: boolean;
  /** Per-provider settings, by provider id. */
  readonly providers?: Readonly<Record<string, ProviderRoutingOptions>>;
  /**
   * Failover policy of stateful operations, by capability name (docs/routing.md,
   * "Data that lives somewhere"); fields set here override the contract's.
   *
   * @example
   * ```ts
   * routing: { policies: { storage: { write: 'mirror', quorum: 2 } } }
   * ```
   */
  readonly policies?: Readonly<Record<string, DataPolicy>>;
  /** Repair of providers that missed mirrored writes or deletes. */
  readonly repair?: RepairSettings;
}

/** How the hub repairs providers that missed writes or deletes. */
export interface RepairSettings {
  /** Start a repair of a provider when its circuit closes again and hints wait for it. Default true. */
  readonly automatic?: boolean;
  /** Hints read from the store at a time. Default 100. */
  readonly batchSize?: number;
  /** Resources copied or deleted at once. Default 4. */
  readonly concurrency?: number;
}

/** Per-call options of `hub.execute()` and the capability facades. */
export interface ExecuteOptions {
  /** Provider ids to try first, in this order; the rest follow by score. */
  readonly prefer?: readonly string[];
  /** Provider ids allowed at all; default: every capable provider. */
  readonly only?: readonly string[];
  /** Provider ids never to use. */
  readonly exclude?: readonly string[];
  /** Epoch ms by which the whole request (every attempt and wait) must finish. */
  readonly deadline?: number;
  /** Relative deadline in ms; ignored when `deadline` is set. Default `routing.requestTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Aborts the request. */
  readonly signal?: AbortSignal;
  /** Makes a non-idempotent operation safe to retry; passed to providers that honour one. */
  readonly idempotencyKey?: string;
  /** This call's failover policy for stateful operations; its fields override the hub's and the contract's. */
  readonly policy?: DataPolicy;
}

/** Where a stateful call's data went, or where it was found. */
export interface PlacementOutcome {
  readonly policy: WritePolicy | ReadPolicy;
  /** Providers that hold the written resource, or that answered the read. */
  readonly holders: readonly string[];
  /**
   * Providers of the write that failed or were skipped; each has a repair
   * hint, except one that refused the input (it can never hold the resource).
   * For `primary`, the providers whose older copy is now stale (a hint deletes it).
   */
  readonly missed: readonly string[];
  /** Providers still writing when the quorum was reached (`mirror`); the record is updated when they finish. */
  readonly pending: readonly string[];
}

/** What `hub.execute()` returns. */
export interface ExecuteResult<Value = unknown> {
  readonly value: Value;
  /** The provider that served the call. */
  readonly provider: string;
  /** Failed attempts before the one that succeeded. */
  readonly failedAttempts: readonly AttemptRecord[];
  /** For writes, deletes and placement reads of stateful operations: where the data went or was found. */
  readonly placement?: PlacementOutcome;
}
