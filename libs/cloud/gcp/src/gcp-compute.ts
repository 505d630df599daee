import {
  IntegrationError,
  type ComputeOperationInput,
  type ComputeOperationName,
  type ComputeOperationOutput,
  type Instance,
  type InstanceState,
} from '@switchyard/core';
import type { HttpClient } from '@switchyard/http';
import {
  decodeCursor,
  encodeCursor,
  isoTimestamp,
  lastSegment,
  objectField,
  optionalString,
  requiredString,
  responseSchema,
  tagOperation,
} from './gcp-rest';

/** What the compute handlers need: a client on the Compute Engine v1 base, the project and the zones to list. */
export interface GcpComputeDependencies {
  readonly client: () => HttpClient;
  readonly projectId: () => string;
  /** Zones to list; empty means every zone (`aggregated/instances`). */
  readonly zones: readonly string[];
}

type ComputeHandlers = {
  readonly [Name in ComputeOperationName]: (input: ComputeOperationInput<Name>, signal: AbortSignal) => Promise<ComputeOperationOutput<Name>>;
};

/** Compute Engine's instance statuses (https://cloud.google.com/compute/docs/instances/instance-life-cycle) in the contract's terms. */
const STATE_BY_STATUS: Readonly<Record<string, InstanceState>> = {
  PROVISIONING: 'pending',
  STAGING: 'pending',
  RUNNING: 'running',
  STOPPING: 'stopping',
  SUSPENDING: 'stopping',
  STOPPED: 'stopped',
  TERMINATED: 'stopped',
  SUSPENDED: 'stopped',
  REPAIRING: 'unknown',
};

/** The statuses a `state` filter selects; `terminated` has none (deleted instances are gone from Compute Engine). */
function statusesFor(state: InstanceState): string[] {
  return Object.entries(STATE_BY_STATUS)
    .filter(([, mapped]) => mapped === state)
    .map(([status]) => status);
}

function parseInstance(raw: Record<string, unknown>): Instance {
  const name = requiredString(raw, 'name');
  const status = requiredString(raw, 'status');
  const zone = lastSegment(requiredString(raw, 'zone'));
  const networkInterfaces = Array.isArray(raw.networkInterfaces) ? (raw.networkInterfaces as Record<string, unknown>[]) : [];
  const firstInterface = networkInterfaces[0] ?? {};
  const accessConfigs = Array.isArray(firstInterface.accessConfigs) ? (firstInterface.accessConfigs as Record<string, unknown>[]) : [];
  const labels = Object.fromEntries(Object.entries(objectField(raw, 'labels')).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const machineType = lastSegment(optionalString(raw, 'machineType'));
  const privateIp = optionalString(firstInterface, 'networkIP');
  const publicIp = accessConfigs[0] === undefined ? undefined : optionalString(accessConfigs[0], 'natIP');
  const launchedAt = isoTimestamp(optionalString(raw, 'lastStartTimestamp') ?? optionalString(raw, 'creationTimestamp'));
  return {
    id: `${zone}/${name}`,
    name,
    state: STATE_BY_STATUS[status] ?? 'unknown',
    providerState: status,
    labels,
    ...(zone === undefined ? {} : { zone }),
    ...(machineType === undefined ? {} : { machineType }),
    ...(privateIp === undefined ? {} : { privateIp }),
    ...(publicIp === undefined ? {} : { publicIp }),
    ...(launchedAt === undefined ? {} : { launchedAt }),
  };
}

const instanceSchema = responseSchema(parseInstance);
const instanceListSchema = responseSchema((raw) => ({
  instances: (Array.isArray(raw.items) ? (raw.items as Record<string, unknown>[]) : []).map(parseInstance),
  nextPageToken: optionalString(raw, 'nextPageToken'),
}));
const aggregatedListSchema = responseSchema((raw) => ({
  instances: Object.values(objectField(raw, 'items')).flatMap((scope) => {
    const listed = (scope as { instances?: unknown }).instances;
    return Array.isArray(listed) ? (listed as Record<string, unknown>[]).map(parseInstance) : [];
  }),
  nextPageToken: optionalString(raw, 'nextPageToken'),
}));
const operationSchema = responseSchema((raw) => ({ name: requiredString(raw, 'name'), status: optionalString(raw, 'status') }));

/** "zone/name" as listInstances returns it, or a validation error. */
function parseInstanceId(instanceId: string, operation: string): { zone: string; name: string } {
  const match = /^([a-z0-9-]+)\/([a-z]([-a-z0-9]{0,61}[a-z0-9])?)$/.exec(instanceId);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new IntegrationError({
      kind: 'validation',
      message: `gcp: ${operation}: "${instanceId}" is not a Compute Engine instance id; expected "zone/name", e.g. "europe-west1-b/web-1"`,
      provider: 'gcp',
      operation,
      isRetryable: false,
    });
  }
  return { zone: match[1], name: match[2] };
}

/**
 * The `compute` v1 operations on the Compute Engine v1 REST API: instances
 * listed per configured zone (or aggregated across all zones), filtered with
 * `status = X`, paged with `pageToken`; ids are "zone/name"; start and stop
 * send the instance action and report the state Compute Engine moves to.
 */
export function createComputeHandlers(dependencies: GcpComputeDependencies): ComputeHandlers {
  const base = () => `/projects/${encodeURIComponent(dependencies.projectId())}`;
  const instancePath = (zone: string, name: string) => `${base()}/zones/${encodeURIComponent(zone)}/instances/${encodeURIComponent(name)}`;

  async function describe(instanceId: string, operation: string, signal: AbortSignal): Promise<Instance> {
    const { zone, name } = parseInstanceId(instanceId, operation);
    const { data } = await dependencies.client().request({ path: instancePath(zone, name), responseSchema: instanceSchema, signal });
    return data;
  }

  async function act(action: 'start' | 'stop', instanceId: string, signal: AbortSignal) {
    const operation = `compute.${action}Instance`;
    return tagOperation(operation, async () => {
      const before = await describe(instanceId, operation, signal);
      const { zone, name } = parseInstanceId(instanceId, operation);
      await dependencies.client().request({ method: 'POST', path: `${instancePath(zone, name)}/${action}`, responseSchema: operationSchema, signal });
      const settled = action === 'start' ? before.state === 'running' : before.state === 'stopped';
      const currentState: InstanceState = settled ? before.state : action === 'start' ? 'pending' : 'stopping';
      return { instanceId, previousState: before.state, currentState };
    });
  }

  return {
    listInstances: (input, signal) =>
      tagOperation('compute.listInstances', async () => {
        const statuses = input.state === undefined ? [] : statusesFor(input.state);
        if (input.state !== undefined && statuses.length === 0) return { instances: [] };
        const filter = statuses.length === 0 ? undefined : statuses.length === 1 ? `status = ${statuses[0]}` : statuses.map((status) => `(status = ${status})`).join(' OR ');
        const cursor = input.cursor === undefined ? {} : decodeCursor(input.cursor, 'compute.listInstances');
        const pageToken = typeof cursor.pageToken === 'string' ? cursor.pageToken : undefined;
        const query = { filter, maxResults: input.limit, pageToken };
        if (dependencies.zones.length === 0) {
          const { data } = await dependencies.client().request({ path: `${base()}/aggregated/instances`, query, responseSchema: aggregatedListSchema, signal });
          return data.nextPageToken === undefined ? { instances: data.instances } : { instances: data.instances, nextCursor: encodeCursor({ pageToken: data.nextPageToken }) };
        }
        const zoneIndex = typeof cursor.zone === 'number' ? cursor.zone : 0;
        const zone = dependencies.zones[zoneIndex];
        if (zone === undefined) return { instances: [] };
        const { data } = await dependencies.client().request({
          path: `${base()}/zones/${encodeURIComponent(zone)}/instances`,
          query,
          responseSchema: instanceListSchema,
          signal,
        });
        const next =
          data.nextPageToken !== undefined
            ? { zone: zoneIndex, pageToken: data.nextPageToken }
            : zoneIndex + 1 < dependencies.zones.length
              ? { zone: zoneIndex + 1 }
              : undefined;
        return next === undefined ? { instances: data.instances } : { instances: data.instances, nextCursor: encodeCursor(next) };
      }),
    getInstance: (input, signal) => tagOperation('compute.getInstance', () => describe(input.instanceId, 'compute.getInstance', signal)),
    startInstance: (input, signal) => act('start', input.instanceId, signal),
    stopInstance: (input, signal) => act('stop', input.instanceId, signal),
  };
}
