import type { z } from 'zod';
import type { CapabilityContract } from '../capabilities/capability';
import type { ExecuteOptions } from './hub-options';

/**
 * A capability as typed methods: `hub.storage.putObject(input, options)`
 * routes `storage.putObject` and resolves to the contract's output type.
 */
export type CapabilityFacade<Contract extends CapabilityContract> = {
  readonly [Operation in keyof Contract['operations'] & string]: (
    input: z.input<Contract['operations'][Operation]['input']>,
    options?: ExecuteOptions,
  ) => Promise<z.output<Contract['operations'][Operation]['output']>>;
};

/** Builds the facade of one contract on top of an execute function. */
export function createCapabilityFacade<Contract extends CapabilityContract>(
  contract: Contract,
  execute: (operation: string, input: unknown, options: ExecuteOptions | undefined) => Promise<unknown>,
): CapabilityFacade<Contract> {
  const facade: Record<string, (input: unknown, options?: ExecuteOptions) => Promise<unknown>> = {};
  for (const operation of Object.keys(contract.operations)) {
    facade[operation] = (input, options) => execute(operation, input, options);
  }
  return Object.freeze(facade) as CapabilityFacade<Contract>;
}

/**
 * The facade of a capability known only by name (`hub.storage` before, or
 * without, a storage provider): each property read is an operation of that
 * name, routed like any other, so a host that never imports the storage
 * contract still gets `hub.storage.putObject(...)`. An operation the
 * capability lacks fails in the router with `unsupported`.
 */
export function createNamedCapabilityFacade<Contract extends CapabilityContract>(
  execute: (operation: string, input: unknown, options: ExecuteOptions | undefined) => Promise<unknown>,
): CapabilityFacade<Contract> {
  const methods = new Map<string, (input: unknown, options?: ExecuteOptions) => Promise<unknown>>();
  return new Proxy(Object.freeze({}), {
    get(_target, operation) {
      // Not an operation: symbols, and `then` (so `await hub.storage` is not mistaken for a promise).
      if (typeof operation !== 'string' || operation === 'then') return undefined;
      let method = methods.get(operation);
      if (method === undefined) {
        method = (input, options) => execute(operation, input, options);
        methods.set(operation, method);
      }
      return method;
    },
  }) as CapabilityFacade<Contract>;
}
