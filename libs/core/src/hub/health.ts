import { toIntegrationError } from '../errors/integration-error';
import type { EventBus } from '../events/event-bus';
import type { EventError, HubEvents } from '../events/hub-events';
import type { ServiceHealth } from '../provider/provider';
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
  /** Per-service results, for providers whose health check reports them (infrastructure status). */
  readonly services: readonly ServiceHealth[] | undefined;
}

/** Runs every provider's health check at once, each bounded by `timeoutMs`; results feed the router's score. */
export async function checkHealth(
  runtimes: Iterable<ProviderRuntime>,
  timeoutMs: number,
  events: EventBus<HubEvents>,
  redactText: (text: string) => string,
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
          services: undefined,
        };
      }
      const startedAt = performance.now();
      let error: EventError | undefined;
      let services: readonly ServiceHealth[] | undefined;
      try {
        const report = await withDeadline((scope) => provider.healthCheck!({ signal: scope.signal }), {
          deadline: Date.now() + timeoutMs,
          provider: runtime.id,
          operation: 'healthCheck',
        });
        services = report?.services.map((service) => ({
          ...service,
          ...(service.error && { error: { kind: service.error.kind, message: redactText(service.error.message) } }),
        }));
        const down = services?.filter((service) => !service.reachable) ?? [];
        if (down.length > 0) {
          error = {
            kind: 'provider',
            message: `unreachable: ${down.map((service) => `${service.service} (${service.error?.message ?? 'no answer'})`).join('; ')}`,
          };
        }
      } catch (caught) {
        const failure = toIntegrationError(caught, { provider: runtime.id, operation: 'healthCheck' });
        error = { kind: failure.kind, message: redactText(failure.message) };
      }
      const durationMs = performance.now() - startedAt;
      const healthy = error === undefined;
      runtime.stats.recordHealth(healthy);
      events.emit('health', { provider: runtime.id, healthy, durationMs, error });
      return { provider: runtime.id, healthy, checked: true, durationMs, breaker: runtime.breaker.state, error, services };
    }),
  );
}
