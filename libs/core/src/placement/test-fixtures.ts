import { vi } from 'vitest';
import { IntegrationError } from '../errors/integration-error';
import type { HubEvents, HubEventType } from '../events/hub-events';
import { createHub, type Hub } from '../hub/create-hub';
import type { HubOptions } from '../hub/hub-options';
import type { ProviderCallContext, ProviderV1 } from '../provider/provider';
import type { RoutingOptions } from '../router/router-options';
import { createMemoryStorageProvider } from '../testing/memory-storage-provider';
import { silentLogger } from '../utils/logger';

/** A provider the test can take down, hold and count, wrapping an in-memory one. */
export interface SwitchableProvider {
  readonly id: string;
  /** What to register with the hub. */
  readonly provider: ProviderV1;
  /** The wrapped provider, to look at its state without going through the switch or the hub. */
  readonly inner: ProviderV1;
  /** While down, every call fails with `network` (after it is counted). */
  down(): void;
  up(): void;
  /** Calls arriving from now on wait until the returned function is called (a later `hold` holds the calls after it on its own). */
  hold(): () => void;
  /** Calls that reached the provider (also while it was down or holding), per operation; all of them without one. */
  calls(operation?: string): number;
}

/**
 * Wraps `inner` so a test can switch it off and on. In-memory providers are
 * frozen, so the wrapper is a new object with its own `execute`.
 */
export function switchable(inner: ProviderV1, refuses?: ProviderV1['refuses']): SwitchableProvider {
  const id = inner.manifest.id;
  const counts = new Map<string, number>();
  let isDown = false;
  let gate: Promise<void> | undefined;
  const provider: ProviderV1 = {
    ...inner,
    ...(refuses === undefined ? {} : { refuses }),
    async execute(request, context) {
      counts.set(request.operation, (counts.get(request.operation) ?? 0) + 1);
      if (gate !== undefined) await gate;
      if (isDown) {
        throw new IntegrationError({
          kind: 'network',
          message: `connect ECONNREFUSED 127.0.0.1:9 (${id} is down)`,
          provider: id,
          operation: `${request.capability}.${request.operation}`,
        });
      }
      return inner.execute(request, context);
    },
  };
  return {
    id,
    provider,
    inner,
    down: () => (isDown = true),
    up: () => (isDown = false),
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    calls: (operation) =>
      operation === undefined ? [...counts.values()].reduce((sum, count) => sum + count, 0) : (counts.get(operation) ?? 0),
  };
}

/** The bucket every storage provider of {@link storageProviders} has. */
export const BUCKET = 'acme-uploads';

/** Switchable in-memory storage providers with these ids, each holding `buckets` (empty). */
export function storageProviders(ids: readonly string[] = ['a', 'b', 'c'], buckets: readonly string[] = [BUCKET]): SwitchableProvider[] {
  return ids.map((id) => switchable(createMemoryStorageProvider({ id, buckets })));
}

/**
 * A hub over `providers`, preferring them in the order given (weights 3, 2,
 * 1, ...). Latency does not count (a slow moment on a loaded machine must not
 * reorder them) and nothing is retried on the same provider, so call counts
 * are exact.
 */
export function dataHub(providers: readonly (SwitchableProvider | ProviderV1)[], options: HubOptions = {}): Hub {
  const registered = providers.map((each) => ('provider' in each ? each.provider : each));
  const weights = Object.fromEntries(registered.map((provider, index) => [provider.manifest.id, { weight: registered.length - index }]));
  const routing: RoutingOptions = options.routing ?? {};
  return createHub({
    ...options,
    providers: registered,
    routing: {
      ...routing,
      weights: { latency: 0, ...routing.weights },
      retry: { retries: 0, ...routing.retry },
      providers: { ...weights, ...routing.providers },
    },
  });
}

/** Every event of `type` the hub emits from now on, in order. */
export function collect<Type extends HubEventType>(hub: Hub, type: Type): HubEvents[Type][] {
  const seen: HubEvents[Type][] = [];
  hub.events.on(type, (payload) => seen.push(payload));
  return seen;
}

/** Waits (bounded: 5 s, in 5 ms steps) until `check` stops throwing (or rejecting). */
export function eventually(check: () => void | Promise<void>): Promise<void> {
  return vi.waitFor(check, { timeout: 5_000, interval: 5 });
}

/** A storage object's input for `putObject`: a text body with a content type and metadata that tell objects apart. */
export function objectInput(key: string, bucket = BUCKET) {
  return {
    bucket,
    key,
    body: `body of ${key}`,
    contentType: 'text/plain; charset=utf-8',
    metadata: { origin: key.replaceAll(/[^a-z0-9_]/g, '_') },
  };
}

/** Calls `operation` of the provider itself, past the hub and the switch: what it really holds. */
export function askDirectly(provider: SwitchableProvider, operation: string, input: unknown, capability = 'storage'): Promise<unknown> {
  const context: ProviderCallContext = {
    signal: new AbortController().signal,
    attempt: 1,
    idempotencyKey: undefined,
    deadline: undefined,
    logger: silentLogger,
  };
  return provider.inner.execute({ capability, operation, input }, context);
}
