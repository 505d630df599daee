import { toIntegrationError } from '../errors/integration-error';
import type { EventBus } from '../events/event-bus';
import type { EventError, HubEvents } from '../events/hub-events';
import type { BreakerState } from '../resilience/circuit-breaker';
import { withDeadline } from '../resilience/deadline';
import type { ProviderRuntime } from '../router/provider-runtime';

/** One provider's health, as `hub.health()` reports it. */
export interface ProviderHealth {
  readonly provider: string;
  /**
   * The provider's own health check passed; for providers without one,
   * whether its circuit is closed.
   */
  readonly healthy: boolean;
  /** Whether a health check ran (false: judged by the breaker alone). */
  readonly checked: boolean;
  readonly durationMs: number | undefined;
  readonly breaker: BreakerState;
  readonly error: EventError | undefined;
}

/** Runs every provider's health check at once, each bounded by `timeoutMs`; results feed the router's score. */
export async function checkHealth(
  runtimes: Iterable<ProviderRuntime>,
  timeoutMs: number,
  events: EventBus<HubEvents>,
): Promise<ProviderHealth[]> {
  return Promise.all(
    [...runtimes].map(async (runtime): Promise<ProviderHealth> => {
      const { provider } = runtime;
      if (provider.healthCheck === undefined) {
        return {
          provider: runtime.id,
          healthy: runtime.breaker.state === 'closed',
          checked: false,
          durationMs: undefined,
          breaker: runtime.breaker.state,
          error: undefined,
        };
      }
      const startedAt = performance.now();
      let error: EventError | undefined;
      try {
        await withDeadline((scope) => provider.healthCheck!({ signal: scope.signal }), { deadline: Date.now() + timeoutMs, provider: runtime.id, operation: 'healthCheck' });
      } catch (caught) {
        const failure = toIntegrationError(caught, { provider: runtime.id, operation: 'healthCheck' });
        error = { kind: failure.kind, message: failure.message };
      }
      const durationMs = performance.now() - startedAt;
      const healthy = error === undefined;
      runtime.stats.recordHealth(healthy);
      events.emit('health', { provider: runtime.id, healthy, durationMs, error });
      return { provider: runtime.id, healthy, checked: true, durationMs, breaker: runtime.breaker.state, error };
    }),
  );
}
