import type { EventError } from '../events/hub-events';

/** How fast the success-rate average forgets: weight of the newest outcome. */
const SUCCESS_ALPHA = 0.1;
/** Weight of the newest latency in the latency EWMA. */
const LATENCY_ALPHA = 0.2;
/** Latencies kept for percentiles. */
const LATENCY_SAMPLES = 512;

/** One provider's numbers, as `hub.metrics()` reports them. */
export interface ProviderMetrics {
  readonly calls: number;
  readonly successes: number;
  readonly failures: number;
  readonly inFlight: number;
  /** Exponentially weighted success rate, 0..1 (starts at 1). */
  readonly successRate: number;
  /** Exponentially weighted latency in ms; undefined before the first call. */
  readonly latencyEwmaMs: number | undefined;
  /** Over the last 512 calls. */
  readonly latencyP50Ms: number | undefined;
  readonly latencyP95Ms: number | undefined;
  /** Accumulated cost in US dollars, from the manifest's per-operation costs. */
  readonly cost: number;
  readonly lastSuccessAt: number | undefined;
  readonly lastFailureAt: number | undefined;
  readonly lastError: EventError | undefined;
  /** The last health check's verdict; undefined if none ran. */
  readonly healthy: boolean | undefined;
}

/** The running statistics the router scores a provider by. Cheap to update on every call. */
export class ProviderStats {
  calls = 0;
  successes = 0;
  failures = 0;
  inFlight = 0;
  cost = 0;
  successRate = 1;
  latencyEwmaMs: number | undefined;
  lastSuccessAt: number | undefined;
  lastFailureAt: number | undefined;
  lastError: EventError | undefined;
  healthy: boolean | undefined;
  private readonly latencies = new Float64Array(LATENCY_SAMPLES);
  private latencyCount = 0;

  /** A call succeeded after `durationMs`, costing `cost` dollars. */
  recordSuccess(durationMs: number, cost: number, now: number): void {
    this.calls += 1;
    this.successes += 1;
    this.cost += cost;
    this.successRate += SUCCESS_ALPHA * (1 - this.successRate);
    this.lastSuccessAt = now;
    this.recordLatency(durationMs);
  }

  /**
   * A call failed. `countsAgainstHealth` is false for answers that say
   * nothing about the provider's health (validation, not found, conflict).
   */
  recordFailure(durationMs: number, error: EventError, countsAgainstHealth: boolean, now: number): void {
    this.calls += 1;
    this.failures += 1;
    this.lastFailureAt = now;
    this.lastError = error;
    if (countsAgainstHealth) this.successRate -= SUCCESS_ALPHA * this.successRate;
    this.recordLatency(durationMs);
  }

  /** A health check's result feeds the success rate like a call would. */
  recordHealth(healthy: boolean): void {
    this.healthy = healthy;
    this.successRate += SUCCESS_ALPHA * ((healthy ? 1 : 0) - this.successRate);
  }

  /** The latency below which `fraction` (0..1) of recent calls finished. */
  percentile(fraction: number): number | undefined {
    const count = Math.min(this.latencyCount, LATENCY_SAMPLES);
    if (count === 0) return undefined;
    const sorted = this.latencies.slice(0, count).sort();
    return sorted[Math.min(count - 1, Math.floor(fraction * count))];
  }

  snapshot(): ProviderMetrics {
    return {
      calls: this.calls,
      successes: this.successes,
      failures: this.failures,
      inFlight: this.inFlight,
      successRate: this.successRate,
      latencyEwmaMs: this.latencyEwmaMs,
      latencyP50Ms: this.percentile(0.5),
      latencyP95Ms: this.percentile(0.95),
      cost: this.cost,
      lastSuccessAt: this.lastSuccessAt,
      lastFailureAt: this.lastFailureAt,
      lastError: this.lastError,
      healthy: this.healthy,
    };
  }

  private recordLatency(durationMs: number): void {
    this.latencyEwmaMs =
      this.latencyEwmaMs === undefined ? durationMs : this.latencyEwmaMs + LATENCY_ALPHA * (durationMs - this.latencyEwmaMs);
    this.latencies[this.latencyCount % LATENCY_SAMPLES] = durationMs;
    this.latencyCount += 1;
  }
}
