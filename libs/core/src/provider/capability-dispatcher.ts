import type { z } from 'zod';
import type { CapabilityContract } from '../capabilities/capability';
import { IntegrationError } from '../errors/integration-error';
import type { ProviderCallContext, ProviderRequest } from './provider';
import type { ProviderCapability } from './provider-manifest';

/** Runs one operation with input already parsed against the contract (defaults applied). */
export type OperationHandler = (input: never, context: ProviderCallContext) => Promise<unknown>;

/**
 * One handler per operation of a contract, typed from its schemas: the input
 * as the contract parses it (defaults applied), the output as callers receive
 * it. `Context` is what the provider hands its handlers (default: the hub's
 * call context).
 *
 * @example
 * ```ts
 * const handlers: OperationHandlers<typeof storageV1> = { putObject: async (input, { signal }) => ..., ... };
 * ```
 */
export type OperationHandlers<Contract extends CapabilityContract, Context = ProviderCallContext> = {
  readonly [Name in keyof Contract['operations']]: (
    input: z.output<Contract['operations'][Name]['input']>,
    context: Context,
  ) => Promise<z.output<Contract['operations'][Name]['output']>>;
};

/** One capability a provider serves: the contract and a handler per operation it supports. */
export interface CapabilityHandlers {
  readonly contract: CapabilityContract;
  /** Handlers by operation name; operations left out are not offered (and not listed in the manifest). */
  readonly handlers: Readonly<Record<string, OperationHandler>>;
}

/** What {@link createCapabilityDispatcher} returns: the manifest's capability list, the contracts and `execute`. */
export interface CapabilityDispatcher {
  /** For `manifest.capabilities`: each contract with the operations that have handlers. */
  readonly capabilities: readonly ProviderCapability[];
  /** For `ProviderV1.contracts`: each contract served, so a hub can route capabilities it did not know. */
  readonly contracts: readonly CapabilityContract[];
  /**
   * `ProviderV1.execute`: finds the handler (`unsupported` when there is
   * none), parses the input against the contract (`validation`, naming each
   * field, before any request — so a direct call outside a hub is checked
   * too), then runs the handler.
   */
  execute(request: ProviderRequest, context: ProviderCallContext): Promise<unknown>;
}

/**
 * The `execute` every provider needs: dispatch by capability and operation,
 * input parsed against the contract, typed errors for what it does not offer.
 *
 * @example
 * ```ts
 * const dispatcher = createCapabilityDispatcher('acme', [{ contract: storageV1, handlers: { putObject, getObject } }]);
 * const provider = {
 *   specificationVersion: 'v1',
 *   manifest: { ...identity, capabilities: dispatcher.capabilities },
 *   contracts: dispatcher.contracts,
 *   execute: dispatcher.execute,
 * };
 * ```
 */
export function createCapabilityDispatcher(providerId: string, services: readonly CapabilityHandlers[]): CapabilityDispatcher {
  const byCapability = new Map(services.map((service) => [service.contract.name, service]));
  const capabilities = Object.freeze(
    services.map((service) =>
      Object.freeze({
        name: service.contract.name,
        version: service.contract.version,
        operations: Object.freeze(Object.keys(service.handlers)),
      }),
    ),
  );
  return {
    capabilities,
    contracts: Object.freeze(services.map((service) => service.contract)),
    async execute(request, context) {
      const operation = `${request.capability}.${request.operation}`;
      const service = byCapability.get(request.capability);
      const handler =
        service !== undefined && Object.hasOwn(service.handlers, request.operation) ? service.handlers[request.operation] : undefined;
      const contract =
        service !== undefined && Object.hasOwn(service.contract.operations, request.operation)
          ? service.contract.operations[request.operation]
          : undefined;
      if (handler === undefined || contract === undefined) {
        throw new IntegrationError({
          kind: 'unsupported',
          message: `${providerId} does not offer ${operation}`,
          provider: providerId,
          operation,
          isRetryable: false,
        });
      }
      const parsed = contract.input.safeParse(request.input);
      if (!parsed.success) {
        const described = parsed.error.issues
          .map((issue) => `${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`)
          .join('; ');
        throw new IntegrationError({
          kind: 'validation',
          message: `${providerId}: invalid input for ${operation}: ${described}`,
          provider: providerId,
          operation,
          isRetryable: false,
        });
      }
      return handler(parsed.data as never, context);
    },
  };
}
