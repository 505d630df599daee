import type { InstanceStateChange, Instance as Ec2Instance } from '@aws-sdk/client-ec2';
import type { Instance, InstanceState, OperationHandlers } from '@switchyard/core';
import type { computeV1 } from '@switchyard/core/compute';
import type { AwsCall } from './aws-clients';
import type { AwsErrors } from './aws-error';
import { decodePageCursor, pageOf } from './aws-paging';

type Ec2Handlers = OperationHandlers<typeof computeV1, AwsCall>;

const loadEc2 = () => import('@aws-sdk/client-ec2');

/** EC2 instance ids: `i-` and 8 (older) or 17 hex digits. */
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** DescribeInstances refuses a MaxResults below 5. */
const MINIMUM_PAGE_SIZE = 5;

/** EC2 state names by contract state; `shutting-down` is on its way to terminated, so it counts as `stopping`. */
const EC2_STATES: Readonly<Record<InstanceState, readonly string[]>> = {
  pending: ['pending'],
  running: ['running'],
  stopping: ['stopping', 'shutting-down'],
  stopped: ['stopped'],
  terminated: ['terminated'],
  unknown: [],
};

/** Maps an EC2 state name (`pending`, `running`, `shutting-down`, `terminated`, `stopping`, `stopped`). */
export function instanceState(name: string | undefined): InstanceState {
  const entry = Object.entries(EC2_STATES).find(([, names]) => name !== undefined && names.includes(name));
  return (entry?.[0] as InstanceState | undefined) ?? 'unknown';
}

function toInstance(instance: Ec2Instance): Instance {
  const labels: Record<string, string> = {};
  for (const tag of instance.Tags ?? []) if (tag.Key !== undefined) labels[tag.Key] = tag.Value ?? '';
  const optional = {
    name: labels.Name,
    machineType: instance.InstanceType,
    zone: instance.Placement?.AvailabilityZone,
    privateIp: instance.PrivateIpAddress,
    publicIp: instance.PublicIpAddress,
    launchedAt: instance.LaunchTime?.toISOString(),
  };
  return {
    id: instance.InstanceId ?? '',
    state: instanceState(instance.State?.Name),
    providerState: instance.State?.Name ?? 'unknown',
    labels,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined && value !== '')),
  };
}

/** Refuses ids EC2 would call malformed, before any request. */
export function checkInstanceId(operation: string, instanceId: string, errors: AwsErrors): void {
  if (!INSTANCE_ID.test(instanceId)) {
    throw errors.invalidInput(
      operation,
      `Invalid EC2 instance id "${instanceId}": expected "i-" and 8 or 17 hex digits, e.g. "i-0abc123def4567890"`,
    );
  }
}

function stateChange(change: InstanceStateChange | undefined, instanceId: string) {
  return {
    instanceId: change?.InstanceId ?? instanceId,
    previousState: instanceState(change?.PreviousState?.Name),
    currentState: instanceState(change?.CurrentState?.Name),
  };
}

/** The `compute` v1 operations on EC2. */
export const ec2Handlers: Ec2Handlers = {
  async listInstances(input, { clients, signal, operation }) {
    const cursor = decodePageCursor(input.cursor, operation);
    if (input.state === 'unknown') return { instances: [] };
    const { DescribeInstancesCommand } = await loadEc2();
    const output = await (
      await clients.ec2()
    ).send(
      new DescribeInstancesCommand({
        ...(input.state === undefined ? {} : { Filters: [{ Name: 'instance-state-name', Values: [...EC2_STATES[input.state]] }] }),
        MaxResults: Math.max(MINIMUM_PAGE_SIZE, input.limit),
        NextToken: cursor.token,
      }),
      { abortSignal: signal },
    );
    const fetched = (output.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
    const { items, nextCursor } = pageOf(fetched, cursor, input.limit, output.NextToken);
    const instances = items.map(toInstance);
    return nextCursor === undefined ? { instances } : { instances, nextCursor };
  },

  async getInstance(input, { clients, errors, signal, operation }) {
    checkInstanceId(operation, input.instanceId, errors);
    const { DescribeInstancesCommand } = await loadEc2();
    const output = await (
      await clients.ec2()
    ).send(new DescribeInstancesCommand({ InstanceIds: [input.instanceId] }), { abortSignal: signal });
    const instance = output.Reservations?.flatMap((reservation) => reservation.Instances ?? []).find(
      (item) => item.InstanceId === input.instanceId,
    );
    if (instance === undefined) {
      throw errors.create({ kind: 'not_found', message: `${operation}: EC2 instance "${input.instanceId}" does not exist`, operation });
    }
    return toInstance(instance);
  },

  async startInstance(input, { clients, errors, signal, operation }) {
    checkInstanceId(operation, input.instanceId, errors);
    const { StartInstancesCommand } = await loadEc2();
    const output = await (
      await clients.ec2()
    ).send(new StartInstancesCommand({ InstanceIds: [input.instanceId] }), { abortSignal: signal });
    return stateChange(output.StartingInstances?.[0], input.instanceId);
  },

  async stopInstance(input, { clients, errors, signal, operation }) {
    checkInstanceId(operation, input.instanceId, errors);
    const { StopInstancesCommand } = await loadEc2();
    const output = await (await clients.ec2()).send(new StopInstancesCommand({ InstanceIds: [input.instanceId] }), { abortSignal: signal });
    return stateChange(output.StoppingInstances?.[0], input.instanceId);
  },
};
