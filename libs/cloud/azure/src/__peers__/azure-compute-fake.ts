import { randomUUID } from 'node:crypto';
import { armError, startFakeServer, type FakeEntraOptions, type FakeReply, type FakeServer } from './azure-fake-server';

/** Power states the fake keeps, as Azure names them after `PowerState/`. */
export type FakePowerState = 'running' | 'starting' | 'deallocating' | 'deallocated' | 'stopped';

/** Options for {@link startAzureComputeFake}. */
export interface AzureComputeFakeOptions extends Partial<FakeEntraOptions> {
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  /** Machines per list page before a `nextLink`. Default 2. */
  readonly pageSize?: number;
  /** How long `starting` and `deallocating` last. Default 150 ms. */
  readonly transitionMs?: number;
}

/** A running Compute fake. */
export interface AzureComputeFake extends FakeServer {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly credentials: FakeEntraOptions;
  /** Adds a machine to the resource group. */
  addMachine(name: string, state: 'running' | 'deallocated', tags?: Record<string, string>): void;
}

interface Machine {
  readonly name: string;
  readonly tags: Record<string, string>;
  state: FakePowerState;
  settlesAt: number;
}

const API_VERSION = '2024-07-01';

/**
 * A wire-protocol fake of Azure Resource Manager's virtual machine API
 * (Microsoft.Compute, api-version 2024-07-01), built from the REST reference
 * and the examples in `src/__fixtures__/`: list by resource group with
 * `nextLink` paging and `$expand=instanceView`, get, `start` and `deallocate`
 * answering 202 with `Azure-AsyncOperation` and `Location`, ARM error
 * envelopes, and an Entra ID token endpoint. Binds 127.0.0.1 only.
 */
export async function startAzureComputeFake(options: AzureComputeFakeOptions = {}): Promise<AzureComputeFake> {
  const subscriptionId = options.subscriptionId ?? '00000000-0000-0000-0000-00000000c0de';
  const resourceGroup = options.resourceGroup ?? 'switchyard-rg';
  const credentials: FakeEntraOptions = {
    tenantId: options.tenantId ?? '11111111-2222-3333-4444-555555555555',
    clientId: options.clientId ?? 'switchyard-compute-client',
    clientSecret: options.clientSecret ?? 'fake-client-secret-for-compute',
  };
  const pageSize = options.pageSize ?? 2;
  const transitionMs = options.transitionMs ?? 150;
  const machines = new Map<string, Machine>();
  const operations = new Map<string, number>();
  const prefix = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines`;

  function settle(machine: Machine): void {
    if (Date.now() < machine.settlesAt) return;
    if (machine.state === 'starting') machine.state = 'running';
    if (machine.state === 'deallocating') machine.state = 'deallocated';
  }

  function resource(machine: Machine, instanceView: boolean) {
    settle(machine);
    return {
      name: machine.name,
      id: `${prefix}/${machine.name}`,
      type: 'Microsoft.Compute/virtualMachines',
      location: 'westeurope',
      tags: machine.tags,
      properties: {
        vmId: `0f47b100-583c-48e3-a4c0-${machine.name.padEnd(12, '0').slice(0, 12)}`,
        hardwareProfile: { vmSize: 'Standard_B1s' },
        provisioningState: 'Succeeded',
        timeCreated: '2025-01-31T09:30:00.0000000+00:00',
        ...(instanceView
          ? {
              instanceView: {
                computerName: machine.name,
                statuses: [
                  { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded' },
                  { code: `PowerState/${machine.state}`, level: 'Info', displayStatus: `VM ${machine.state}` },
                ],
              },
            }
          : {}),
      },
    };
  }

  function notFound(name: string): FakeReply {
    return armError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Compute/virtualMachines/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }

  const fake = await startFakeServer(credentials, (request) => {
    const { pathname, searchParams } = request.url;
    if (searchParams.get('api-version') !== API_VERSION) {
      return armError(400, 'InvalidApiVersionParameter', `The api-version '${searchParams.get('api-version') ?? ''}' is invalid.`);
    }
    const expand = searchParams.get('$expand') === 'instanceView';
    const operation = /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Compute\/locations\/westeurope\/operations\/([^/]+)$/.exec(pathname);
    if (operation !== null && request.method === 'GET') {
      const done = Date.now() >= (operations.get(operation[1] ?? '') ?? 0);
      return { status: 200, body: { name: operation[1], status: done ? 'Succeeded' : 'InProgress', startTime: new Date().toISOString() } };
    }
    if (pathname === prefix && request.method === 'GET') {
      const all = [...machines.values()].sort((left, right) => left.name.localeCompare(right.name));
      const skip = Number(searchParams.get('$skiptoken') ?? '0');
      const page = all.slice(skip, skip + pageSize).map((machine) => resource(machine, expand));
      const nextLink =
        skip + pageSize < all.length
          ? `${fake.url}${prefix}?api-version=${API_VERSION}${expand ? '&$expand=instanceView' : ''}&$skiptoken=${skip + pageSize}`
          : undefined;
      return { status: 200, body: nextLink === undefined ? { value: page } : { value: page, nextLink } };
    }
    const match = new RegExp(`^${prefix}/([^/]+)(?:/(start|deallocate))?$`).exec(pathname);
    if (match === null) return undefined;
    const name = decodeURIComponent(match[1] ?? '');
    const machine = machines.get(name);
    if (machine === undefined) return notFound(name);
    if (match[2] === undefined) return request.method === 'GET' ? { status: 200, body: resource(machine, expand) } : undefined;
    if (request.method !== 'POST') return undefined;
    settle(machine);
    if (match[2] === 'start' && machine.state !== 'running') machine.state = 'starting';
    if (match[2] === 'deallocate' && machine.state !== 'deallocated') machine.state = 'deallocating';
    machine.settlesAt = Date.now() + transitionMs;
    const operationId = randomUUID();
    operations.set(operationId, machine.settlesAt);
    const status = `${fake.url}/subscriptions/${subscriptionId}/providers/Microsoft.Compute/locations/westeurope/operations/${operationId}?api-version=${API_VERSION}`;
    return { status: 202, headers: { 'azure-asyncoperation': status, location: `${status}&monitor=true` } };
  });

  return {
    ...fake,
    subscriptionId,
    resourceGroup,
    credentials,
    addMachine(name, state, tags = {}) {
      machines.set(name, { name, tags, state, settlesAt: 0 });
    },
  };
}
