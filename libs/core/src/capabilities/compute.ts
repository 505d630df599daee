import { z } from 'zod';
import { defineCapability } from './capability';
import { SYSTEM_OF_RECORD_POLICY, touches } from './data-policy';
import { pageCursorSchema, pageLimitSchema, timestampSchema } from './capability-schemas';

/**
 * A virtual machine's id as `listInstances` returns it: EC2 "i-0abc…", or
 * "zone/name" (GCE) and "resourceGroup/name" (Azure), where a name alone is
 * not unique. Pass it back unchanged.
 */
export const instanceIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'must be an instance id as listInstances returns it, e.g. "i-0abc123" or "europe-west1-b/web-1"')
  .describe('Instance id from listInstances, e.g. "i-0abc123" (EC2) or "europe-west1-b/web-1" (GCE).');

/** Lifecycle states every provider maps onto; `providerState` keeps the provider's own word. */
export const instanceStateSchema = z.enum(['pending', 'running', 'stopping', 'stopped', 'terminated', 'unknown']);

/** A virtual machine, mapped to one shape from EC2, Azure VMs and Compute Engine. */
export const instanceSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  state: instanceStateSchema,
  /** The provider's own state, e.g. "running" (EC2), "PowerState/deallocated" (Azure), "TERMINATED" (GCE). */
  providerState: z.string(),
  /** Size in the provider’s terms: "t3.micro", "Standard_B1s", "e2-small". */
  machineType: z.string().optional(),
  /** Availability zone, region or location. */
  zone: z.string().optional(),
  privateIp: z.string().optional(),
  publicIp: z.string().optional(),
  launchedAt: timestampSchema.optional(),
  /** Tags (EC2, Azure) or labels (GCE); `{}` when there are none. */
  labels: z.record(z.string(), z.string()),
});

const instanceInput = z.strictObject({ instanceId: instanceIdSchema });
const stateChange = z.object({
  instanceId: z.string(),
  /** The state before the call. */
  previousState: instanceStateSchema,
  /** The state right after the call (usually a transition such as `pending` or `stopping`). */
  currentState: instanceStateSchema,
});

const listInstances = {
  description:
    'List virtual machines, optionally only those in one state, one page at a time. Pass nextCursor back for the next page; it is absent on the last page.',
  input: z.strictObject({
    state: instanceStateSchema.optional().describe('Only instances in this state, e.g. "running".'),
    cursor: pageCursorSchema.optional(),
    limit: pageLimitSchema(100, 50),
  }),
  output: z.object({ instances: z.array(instanceSchema), nextCursor: z.string().min(1).optional() }),
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('list'),
};

const getInstance = {
  description: 'Describe one virtual machine, including its current state. Fails with not_found when it does not exist.',
  input: instanceInput,
  output: instanceSchema,
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('read'),
};

const startInstance = {
  description: 'Start a stopped virtual machine. Starting one that is already running succeeds and changes nothing.',
  input: instanceInput,
  output: stateChange,
  hints: { readOnly: false, destructive: false, idempotent: true },
  resource: touches('write'),
};

const stopInstance = {
  description:
    'Stop (Azure: deallocate) a running virtual machine; its disks are kept. Stopping one that is already stopped succeeds and changes nothing.',
  input: instanceInput,
  output: stateChange,
  hints: { readOnly: false, destructive: false, idempotent: true },
  resource: touches('write'),
};

/**
 * The `compute` capability, version 1: list, describe, start and stop virtual
 * machines, as EC2, Azure Virtual Machines and Compute Engine offer them.
 * Creating machines is provider-specific (images and sizes do not map) and
 * stays out of the contract.
 */
export const computeV1 = defineCapability({
  name: 'compute',
  version: 1,
  description: 'Virtual machines: list, describe (status), start, stop.',
  operations: { listInstances, getInstance, startInstance, stopInstance },
  // An instance lives in one cloud account: nothing fails over to another one unless the call asks for it.
  dataPolicy: SYSTEM_OF_RECORD_POLICY,
});

/** The operations of {@link computeV1}. */
export type ComputeOperations = typeof computeV1.operations;
/** The name of a {@link computeV1} operation, e.g. `'startInstance'`. */
export type ComputeOperationName = keyof ComputeOperations;
/** The input a compute provider receives for an operation: parsed, defaults applied. */
export type ComputeOperationInput<Name extends ComputeOperationName> = z.output<ComputeOperations[Name]['input']>;
/** What a compute provider returns for an operation, and what callers receive. */
export type ComputeOperationOutput<Name extends ComputeOperationName> = z.output<ComputeOperations[Name]['output']>;
/** A virtual machine, as `getInstance` and `listInstances` return it. */
export type Instance = z.output<typeof instanceSchema>;
/** One of the lifecycle states of {@link instanceStateSchema}. */
export type InstanceState = z.output<typeof instanceStateSchema>;
