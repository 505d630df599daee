import type { z } from 'zod';

/**
 * Every capability name Switchyard knows. A name becomes routable once core
 * holds a contract for it (see `capabilityContracts`); the rest are reserved
 * identifiers whose contracts arrive with their second provider.
 */
export const CAPABILITY_NAMES = [
  'storage',
  'functions',
  'compute',
  'repositories',
  'issues',
  'messaging',
  'crm',
  'payments',
  'sms',
  'analytics',
  'upload',
  'content',
  'comments',
  'live',
] as const;

/** One of {@link CAPABILITY_NAMES}. */
export type CapabilityName = (typeof CAPABILITY_NAMES)[number];

/** What an operation does to the outside world; agents and the router read these. */
export interface OperationHints {
  /** Reads only; changes nothing anywhere. */
  readonly readOnly: boolean;
  /** May delete or overwrite data that cannot be recovered. */
  readonly destructive: boolean;
  /** Calling it twice with the same input has the same effect as once, so it may be retried. */
  readonly idempotent: boolean;
}

/** One operation of a capability contract: its schemas, description and hints. */
export interface OperationContract<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  readonly description: string;
  readonly input: Input;
  readonly output: Output;
  readonly hints: OperationHints;
}

/** A named, versioned capability contract, e.g. `storage` v1. */
export interface CapabilityContract<
  Name extends CapabilityName = CapabilityName,
  Operations extends Record<string, OperationContract> = Record<string, OperationContract>,
> {
  readonly name: Name;
  readonly version: number;
  readonly description: string;
  readonly operations: Operations;
}

/**
 * Defines a capability contract. The result is frozen; its operations'
 * schemas are what hubs validate input and output against.
 */
export function defineCapability<const Name extends CapabilityName, const Operations extends Record<string, OperationContract>>(
  contract: CapabilityContract<Name, Operations>,
): CapabilityContract<Name, Operations> {
  return Object.freeze({ ...contract, operations: Object.freeze({ ...contract.operations }) });
}

/** The input type callers pass to an operation (before the schema applies defaults). */
export type OperationInput<Operation extends OperationContract> = z.input<Operation['input']>;
/** The output type of an operation (what the hub resolves to). */
export type OperationOutput<Operation extends OperationContract> = z.output<Operation['output']>;
