import { IntegrationError, type Hub } from '@switchyard/core';
import type { Store } from '../store/store';

/** What {@link checkRateLimit} reads: the hub whose router holds the limits, the store that holds the integration. */
export interface RateLimitCheckContext {
  readonly hub: Pick<Hub, 'rateLimit' | 'registry'>;
  readonly store: Pick<Store, 'integrations'>;
}

/** Whether an integration may call an operation now, from the router's own rate-limit state. */
export interface RateLimitCheck {
  /** A call could go now: a token is left and the provider asked for no pause. */
  readonly allowed: boolean;
  /** Calls left before throttling; `null` when neither the provider nor its API sets a limit. */
  readonly remaining: number | null;
  /** ISO 8601: when the limits are full again and any pause is over (now when they are). */
  readonly resetAt: string;
  /** Milliseconds until a call could go; 0 when allowed. */
  readonly waitMs: number;
  /** The provider the integration calls through. */
  readonly provider: string;
}

function providerOffers(provider: NonNullable<ReturnType<Hub['registry']['get']>>, operation: string): boolean {
  if (provider.operations?.[operation] !== undefined) return true;
  const dot = operation.indexOf('.');
  const [capability, name] = dot === -1 ? [undefined, operation] : [operation.slice(0, dot), operation.slice(dot + 1)];
  return provider.manifest.capabilities.some(
    (offered) => (capability === undefined || offered.name === capability) && offered.operations.includes(name),
  );
}

/**
 * Whether `integrationId` may call `operation` now, read from the router's
 * real state (`hub.rateLimit()`: the provider's token buckets, a
 * Retry-After pause, the limit its API last reported) without taking a
 * token. Limits are per provider (and credential), so every operation of a
 * provider shares them; `operation` — `capability.operation` (e.g.
 * `messaging.sendMessage`), a bare capability operation, or one of the
 * provider's own operations — must be one the provider offers. Throws
 * `not_found` for an unknown integration and `validation` when its provider
 * is not registered or lacks the operation.
 *
 * @example
 * ```ts
 * const { allowed, remaining, resetAt } = await checkRateLimit({ hub, store }, 'acme-github', 'issues.createIssue');
 * ```
 */
export async function checkRateLimit(context: RateLimitCheckContext, integrationId: string, operation: string): Promise<RateLimitCheck> {
  const integration = await context.store.integrations.get(integrationId);
  const providerId = integration.providerId;
  const provider = context.hub.registry.get(providerId);
  const state = context.hub.rateLimit(providerId);
  if (provider === undefined || state === undefined) {
    throw new IntegrationError({
      kind: 'validation',
      message: `checkRateLimit: provider "${providerId}" of integration "${integrationId}" is not registered in the hub`,
      provider: providerId,
    });
  }
  if (!providerOffers(provider, operation)) {
    throw new IntegrationError({
      kind: 'validation',
      message: `checkRateLimit: provider "${providerId}" has no operation "${operation}"`,
      provider: providerId,
      operation,
    });
  }
  return {
    allowed: state.allowed,
    remaining: Number.isFinite(state.remaining) ? state.remaining : null,
    resetAt: new Date(state.resetAt).toISOString(),
    waitMs: state.waitMs,
    provider: providerId,
  };
}
