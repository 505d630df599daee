import { silentLogger, type ProviderCallContext } from '@switchyard/core';

/**
 * A {@link ProviderCallContext} for calling a provider directly in tests, as
 * the hub would on a first attempt: a fresh, never-aborted signal, `attempt`
 * 1, no idempotency key, no deadline and the silent logger. Pass `overrides`
 * to change any of them.
 *
 * @example
 * ```ts
 * await provider.execute(request, createCallContext({ idempotencyKey: 'order-42' }));
 * ```
 */
export function createCallContext(overrides: Partial<ProviderCallContext> = {}): ProviderCallContext {
  return {
    signal: new AbortController().signal,
    attempt: 1,
    idempotencyKey: undefined,
    deadline: undefined,
    logger: silentLogger,
    ...overrides,
  };
}
