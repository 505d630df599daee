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
