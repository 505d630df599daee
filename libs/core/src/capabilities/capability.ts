import type { z } from 'zod';
import { IntegrationError } from '../errors/integration-error';
import type { CapabilityReplication, DataPolicy, OperationResource } from './data-policy';

/**
 * A capability's name: lowercase kebab-case, e.g. `storage` or
 * `geocoding`. Any well-formed name is routable once a hub holds its
 * contract, whether core defines it or the host does.
 */
export type CapabilityName = string;

/** What a {@link CapabilityName} must look like: lowercase words joined by single hyphens. */
export const CAPABILITY_NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const OPERATION_NAME_PATTERN = /^[a-z][A-Za-z0-9]*$/;

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
  /**
   * The resource the operation reads, writes or deletes on the provider that
   * serves it. Absent for stateless operations (send a message, run a
   * function), which fail over freely; present ones follow the capability's
   * {@link DataPolicy}.
   */
  readonly resource?: OperationResource<z.output<Input>>;
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
  /**
   * Default failover policy of the operations that declare a `resource`
   * (docs/routing.md). Default: `primary` writes, `placement` reads. Systems of record set `primary-only`.
   */
  readonly dataPolicy?: DataPolicy;
  /** How one provider's copy of a resource is made on another; needed for `mirror` writes and their repair. */
  readonly replication?: CapabilityReplication;
}

/**
 * What is wrong with a capability contract, one entry per bad field (empty
 * when it is well-formed): the name, the version, and each operation's name
 * and schemas.
 */
export function capabilityContractProblems(contract: unknown): string[] {
  if (typeof contract !== 'object' || contract === null) return ['(contract): must be an object'];
  const { name, version, operations } = contract as Partial<Record<keyof CapabilityContract, unknown>>;
  const problems: string[] = [];
  if (typeof name !== 'string' || !CAPABILITY_NAME_PATTERN.test(name)) {
    problems.push(`name: must be lowercase kebab-case, e.g. "geocoding" or "object-storage", got ${JSON.stringify(name)}`);
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    problems.push(`version: must be a whole number >= 1, got ${JSON.stringify(version)}`);
  }
  if (typeof operations !== 'object' || operations === null || Object.keys(operations).length === 0) {
    problems.push('operations: must define at least one operation');
    return problems;
  }
  for (const [operation, definition] of Object.entries(operations as Record<string, Partial<OperationContract> | undefined>)) {
    if (!OPERATION_NAME_PATTERN.test(operation)) problems.push(`operations.${operation}: must be a camelCase name`);
    for (const schema of ['input', 'output'] as const) {
      if (typeof definition?.[schema]?.safeParse !== 'function') problems.push(`operations.${operation}.${schema}: must be a zod schema`);
    }
  }
  return problems;
}

/**
 * Defines a capability contract, core's or a host's own. The result is
 * frozen; its operations' schemas are what hubs validate input and output
 * against. Throws a `validation` `IntegrationError` naming every bad field
 * (a name that is not kebab-case, a version below 1, an operation without
 * schemas).
 *
 * @example
 * ```ts
 * const geocodingV1 = defineCapability({
 *   name: 'geocoding',
 *   version: 1,
 *   description: 'Turns addresses into coordinates.',
 *   operations: {
 *     geocode: {
 *       description: 'Finds the coordinates of an address.',
 *       input: z.strictObject({ address: z.string().min(1) }),
 *       output: z.strictObject({ latitude: z.number(), longitude: z.number() }),
 *       hints: { readOnly: true, destructive: false, idempotent: true },
 *     },
 *   },
 * });
 * ```
 */
export function defineCapability<const Name extends CapabilityName, const Operations extends Record<string, OperationContract>>(
  contract: CapabilityContract<Name, Operations>,
): CapabilityContract<Name, Operations> {
  const problems = capabilityContractProblems(contract);
  if (problems.length > 0) {
    throw new IntegrationError({
      kind: 'validation',
      message: `Invalid capability contract ${JSON.stringify(contract.name)}: ${problems.join('; ')}`,
      details: problems,
    });
  }
  return Object.freeze({ ...contract, operations: Object.freeze({ ...contract.operations }) });
}

/** The input type callers pass to an operation (before the schema applies defaults). */
export type OperationInput<Operation extends OperationContract> = z.input<Operation['input']>;
/** The output type of an operation (what the hub resolves to). */
export type OperationOutput<Operation extends OperationContract> = z.output<Operation['output']>;
