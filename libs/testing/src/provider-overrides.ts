import { IntegrationError, type ProviderCallContext, type ProviderRequest, type ProviderV1 } from '@switchyard/core';

/** Replaces one operation of a provider; `original` runs the provider's own implementation. */
export type OperationOverride = (
  request: ProviderRequest,
  context: ProviderCallContext,
  original: (request: ProviderRequest) => Promise<unknown>,
) => Promise<unknown>;

/**
 * A copy of `provider` whose `operation` (in any capability) runs `override`
 * instead; everything else, the manifest included, is the original's. Use it
 * to break one behaviour on purpose (a wrong body, a delete that does
 * nothing, a failure) and prove a test notices. `provider` is not changed.
 *
 * @example
 * ```ts
 * const forgetful = overrideOperation(createMemoryStorageProvider(), 'deleteObject', async (request) => request.input);
 * ```
 */
export function overrideOperation(provider: ProviderV1, operation: string, override: OperationOverride): ProviderV1 {
  return Object.freeze({
    ...provider,
    execute(request: ProviderRequest, context: ProviderCallContext) {
      if (request.operation !== operation) return provider.execute(request, context);
      return override(request, context, (forwarded) => provider.execute(forwarded, context));
    },
  });
}

/**
 * A copy of `provider` without `operations`: its manifest no longer lists
 * them and calling one fails with `unsupported`. Use it to stand in for a
 * provider whose service lacks an operation (SMS has no threads).
 *
 * @example
 * ```ts
 * const sms = withoutOperations(createMemoryMessagingProvider(), ['replyInThread', 'updateMessage']);
 * ```
 */
export function withoutOperations(provider: ProviderV1, operations: readonly string[]): ProviderV1 {
  const manifest = Object.freeze({
    ...provider.manifest,
    capabilities: Object.freeze(
      provider.manifest.capabilities.map((capability) =>
        Object.freeze({
          ...capability,
          operations: Object.freeze(capability.operations.filter((name) => !operations.includes(name))),
        }),
      ),
    ),
  });
  return Object.freeze({
    ...provider,
    manifest,
    execute(request: ProviderRequest, context: ProviderCallContext) {
      if (!operations.includes(request.operation)) return provider.execute(request, context);
      return Promise.reject(
        new IntegrationError({
          kind: 'unsupported',
          message: `${manifest.name} does not support ${request.capability}.${request.operation}`,
          provider: manifest.id,
          operation: `${request.capability}.${request.operation}`,
        }),
      );
    },
  });
}
