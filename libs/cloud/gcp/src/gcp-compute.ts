import type { Instance, InstanceState, OperationHandlers } from '@switchyard/core';
import type { computeV1 } from '@switchyard/core/compute';
import { decodeCursor, encodeCursor, type HttpClient } from '@switchyard/http';
import { z } from 'zod';
import type { GcpErrors } from './gcp-error';
import { isoTimestamp, lastSegment, pageTokenSchema } from './gcp-rest';

/** What the compute handlers need: a client on the Compute Engine v1 base, the project and the zones to list. */
export interface GcpComputeDependencies {
  readonly client: () => HttpClient;
  readonly projectId: () => string;
  /** Zones to list; empty means every zone (`aggregated/instances`). */
  readonly zones: readonly string[];
  readonly errors: GcpErrors;
}

type ComputeHandlers = OperationHandlers<typeof computeV1, AbortSignal>;

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

/** An `Instance` resource, the fields read (https://cloud.google.com/compute/docs/reference/rest/v1/instances). */
const instanceResource = z.object({
  name: z.string().min(1),
  status: z.string().min(1),
  zone: z.string().min(1),
  machineType: z.string().nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
  networkInterfaces: z
    .array(z.object({ networkIP: z.string().nullish(), accessConfigs: z.array(z.object({ natIP: z.string().nullish() })).nullish() }))
    .nullish(),
  lastStartTimestamp: z.string().nullish(),
  creationTimestamp: z.string().nullish(),
});

function toInstance(raw: z.infer<typeof instanceResource>): Instance {
  const zone = lastSegment(raw.zone);
  const firstInterface = raw.networkInterfaces?.[0];
  const machineType = lastSegment(raw.machineType);
  const privateIp = firstInterface?.networkIP ?? undefined;
  const publicIp = firstInterface?.accessConfigs?.[0]?.natIP ?? undefined;
  const launchedAt = isoTimestamp(raw.lastStartTimestamp ?? raw.creationTimestamp);
  return {
    id: `${zone}/${raw.name}`,
    name: raw.name,
    state: STATE_BY_STATUS[raw.status] ?? 'unknown',
    providerState: raw.status,
    labels: { ...raw.labels },
    zone,
    ...(machineType === undefined ? {} : { machineType }),
    ...(privateIp === undefined ? {} : { privateIp }),
    ...(publicIp === undefined ? {} : { publicIp }),
    ...(launchedAt === undefined ? {} : { launchedAt }),
  };
}

const instanceSchema = instanceResource.transform(toInstance);
const instanceListSchema = z.object({ items: z.array(instanceSchema).nullish(), nextPageToken: pageTokenSchema });
const aggregatedListSchema = z.object({
  items: z.record(z.string(), z.object({ instances: z.array(instanceSchema).nullish() })).nullish(),
  nextPageToken: pageTokenSchema,
});
const operationSchema = z.object({ name: z.string().min(1) });

/** Where `listInstances` continues: the zone's index (per-zone listing) and Google's page token. */
const cursorSchema = z.object({ zone: z.number().int().nonnegative().optional(), pageToken: z.string().min(1).optional() });

/** "zone/name" as listInstances returns it, or a validation error. */
function parseInstanceId(instanceId: string, operation: string, errors: GcpErrors): { zone: string; name: string } {
  const match = /^([a-z0-9-]+)\/([a-z]([-a-z0-9]{0,61}[a-z0-9])?)$/.exec(instanceId);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw errors.invalidInput(
      operation,
      `"${instanceId}" is not a Compute Engine instance id; expected "zone/name", e.g. "europe-west1-b/web-1"`,
    );
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
  const { errors } = dependencies;
  const base = () => `/projects/${encodeURIComponent(dependencies.projectId())}`;
  const instancePath = (zone: string, name: string) => `${base()}/zones/${encodeURIComponent(zone)}/instances/${encodeURIComponent(name)}`;

  async function describe(instanceId: string, operation: string, signal: AbortSignal): Promise<Instance> {
    const { zone, name } = parseInstanceId(instanceId, operation, errors);
    const { data } = await dependencies.client().request({ path: instancePath(zone, name), responseSchema: instanceSchema, signal });
    return data;
  }

  async function act(action: 'start' | 'stop', instanceId: string, signal: AbortSignal) {
    const operation = `compute.${action}Instance`;
    return errors.tagOperation(operation, async () => {
      const before = await describe(instanceId, operation, signal);
      const { zone, name } = parseInstanceId(instanceId, operation, errors);
      await dependencies
        .client()
        .request({ method: 'POST', path: `${instancePath(zone, name)}/${action}`, responseSchema: operationSchema, signal });
      const settled = action === 'start' ? before.state === 'running' : before.state === 'stopped';
      const currentState: InstanceState = settled ? before.state : action === 'start' ? 'pending' : 'stopping';
      return { instanceId, previousState: before.state, currentState };
    });
  }

  return {
    listInstances: (input, signal) =>
      errors.tagOperation('compute.listInstances', async () => {
        const statuses = input.state === undefined ? [] : statusesFor(input.state);
        if (input.state !== undefined && statuses.length === 0) return { instances: [] };
        const filter =
          statuses.length === 0
            ? undefined
            : statuses.length === 1
              ? `status = ${statuses[0]}`
              : statuses.map((status) => `(status = ${status})`).join(' OR ');
        const cursor =
          input.cursor === undefined
            ? {}
            : decodeCursor(input.cursor, cursorSchema, { provider: 'gcp', operation: 'compute.listInstances' });
        const query = { filter, maxResults: input.limit, pageToken: cursor.pageToken };
        if (dependencies.zones.length === 0) {
          const { data } = await dependencies
            .client()
            .request({ path: `${base()}/aggregated/instances`, query, responseSchema: aggregatedListSchema, signal });
          const instances = Object.values(data.items ?? {}).flatMap((scope) => scope.instances ?? []);
          return data.nextPageToken === undefined
            ? { instances }
            : { instances, nextCursor: encodeCursor({ pageToken: data.nextPageToken }) };
        }
        const zoneIndex = cursor.zone ?? 0;
        const zone = dependencies.zones[zoneIndex];
        if (zone === undefined) return { instances: [] };
        const { data } = await dependencies.client().request({
          path: `${base()}/zones/${encodeURIComponent(zone)}/instances`,
          query,
          responseSchema: instanceListSchema,
          signal,
        });
        const instances = data.items ?? [];
        const next =
          data.nextPageToken !== undefined
            ? { zone: zoneIndex, pageToken: data.nextPageToken }
            : zoneIndex + 1 < dependencies.zones.length
              ? { zone: zoneIndex + 1 }
              : undefined;
        return next === undefined ? { instances } : { instances, nextCursor: encodeCursor(next) };
      }),
    getInstance: (input, signal) =>
      errors.tagOperation('compute.getInstance', () => describe(input.instanceId, 'compute.getInstance', signal)),
    startInstance: (input, signal) => act('start', input.instanceId, signal),
    stopInstance: (input, signal) => act('stop', input.instanceId, signal),
  };
}
