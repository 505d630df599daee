import type { Instance, InstanceState, OperationHandlers } from '@switchyard/core';
import type { computeV1 } from '@switchyard/core/compute';
import type { HttpClient } from '@switchyard/http';
import { armListPage, readArmCursor } from './azure-arm';
import { isoTimestamp, powerState, virtualMachinePageSchema, virtualMachineSchema, type VirtualMachine } from './azure-compute-api';
import type { AzureErrors } from './azure-error';

/** The Compute API version every request uses. */
export const COMPUTE_API_VERSION = '2024-07-01';

/** One handler per compute v1 operation. */
export type ComputeHandlers = OperationHandlers<typeof computeV1>;

/** What the compute handlers need. */
export interface ComputeHandlerOptions {
  readonly arm: () => HttpClient;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly managementBaseURL: string;
  readonly errors: AzureErrors;
}

/** Resource group names: letters, digits, `_ . - ( )`; VM names: letters, digits, `_ . -`. */
const RESOURCE_GROUP = /^[-\w.()]{1,90}$/;
const VM_NAME = /^[-\w.]{1,64}$/;

/** Splits an instance id "resourceGroup/name"; anything else is a `validation` error before any request. */
export function parseInstanceId(instanceId: string, operation: string, errors: AzureErrors): { resourceGroup: string; name: string } {
  const [resourceGroup, name, ...rest] = instanceId.split('/');
  if (resourceGroup !== undefined && name !== undefined && rest.length === 0 && RESOURCE_GROUP.test(resourceGroup) && VM_NAME.test(name)) {
    return { resourceGroup, name };
  }
  throw errors.invalidInput(operation, `instance id "${instanceId}" must be "resourceGroup/vmName", as listInstances returns it`);
}

function toInstance(machine: VirtualMachine, fallbackResourceGroup: string): Instance {
  const resourceGroup = /\/resourceGroups\/([^/]+)\//i.exec(machine.id)?.[1] ?? fallbackResourceGroup;
  const launchedAt = isoTimestamp(machine.properties?.timeCreated);
  const machineType = machine.properties?.hardwareProfile?.vmSize;
  return {
    id: `${resourceGroup}/${machine.name}`,
    name: machine.name,
    ...powerState(machine),
    ...(machineType === undefined || machineType === null ? {} : { machineType }),
    ...(machine.location === undefined || machine.location === null ? {} : { zone: machine.location }),
    ...(launchedAt === undefined ? {} : { launchedAt }),
    labels: { ...machine.tags },
  };
}

/**
 * The compute v1 operations on Azure Resource Manager (`Microsoft.Compute`,
 * api-version 2024-07-01): list by resource group with `$expand=instanceView`,
 * get with the instance view, `start` and `deallocate` (both 202 with an
 * `Azure-AsyncOperation` to poll; the contract returns the transition state).
 */
export function createComputeHandlers(options: ComputeHandlerOptions): ComputeHandlers {
  const machinesPath = (resourceGroup: string) =>
    `/subscriptions/${encodeURIComponent(options.subscriptionId)}/resourceGroups/${encodeURIComponent(resourceGroup)}/providers/Microsoft.Compute/virtualMachines`;

  async function getMachine(instanceId: string, operation: string, signal: AbortSignal): Promise<Instance> {
    const { resourceGroup, name } = parseInstanceId(instanceId, operation, options.errors);
    const { data } = await options.arm().request({
      path: `${machinesPath(resourceGroup)}/${encodeURIComponent(name)}`,
      query: { $expand: 'instanceView', 'api-version': COMPUTE_API_VERSION },
      responseSchema: virtualMachineSchema,
      signal,
    });
    return toInstance(data, resourceGroup);
  }

  async function changePower(
    input: { instanceId: string },
    action: 'start' | 'deallocate',
    signal: AbortSignal,
  ): Promise<{ instanceId: string; previousState: InstanceState; currentState: InstanceState }> {
    const operation = action === 'start' ? 'compute.startInstance' : 'compute.stopInstance';
    const before = await getMachine(input.instanceId, operation, signal);
    const { resourceGroup, name } = parseInstanceId(input.instanceId, operation, options.errors);
    await options.arm().request({
      method: 'POST',
      path: `${machinesPath(resourceGroup)}/${encodeURIComponent(name)}/${action}`,
      query: { 'api-version': COMPUTE_API_VERSION },
      responseType: 'none',
      signal,
    });
    const target: InstanceState = action === 'start' ? 'running' : 'stopped';
    const transition: InstanceState = action === 'start' ? 'pending' : 'stopping';
    return { instanceId: input.instanceId, previousState: before.state, currentState: before.state === target ? target : transition };
  }

  return {
    async listInstances(input, { signal }) {
      const operation = 'compute.listInstances';
      const cursor = readArmCursor(input.cursor, operation);
      const path = cursor.path ?? `${machinesPath(options.resourceGroup)}?$expand=instanceView&api-version=${COMPUTE_API_VERSION}`;
      const { data } = await options.arm().request({ path, responseSchema: virtualMachinePageSchema, signal });
      const matching = data.value
        .map((machine) => toInstance(machine, options.resourceGroup))
        .filter((instance) => input.state === undefined || instance.state === input.state);
      const page = armListPage(matching, {
        path,
        cursor,
        limit: input.limit,
        nextLink: data.nextLink,
        managementBaseURL: options.managementBaseURL,
        operation,
        errors: options.errors,
      });
      return page.nextCursor === undefined ? { instances: page.items } : { instances: page.items, nextCursor: page.nextCursor };
    },
    getInstance: (input, { signal }) => getMachine(input.instanceId, 'compute.getInstance', signal),
    startInstance: (input, { signal }) => changePower(input, 'start', signal),
    stopInstance: (input, { signal }) => changePower(input, 'deallocate', signal),
  };
}
