import { IntegrationError, type ProviderV1 } from '@switchyard/core';
import { createCallContext, testComputeProvider } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureComputeFake, type AzureComputeFake } from './__peers__/azure-compute-fake';
import { createAzure } from './index';

let fake: AzureComputeFake;
let machineCount = 0;

beforeAll(async () => {
  fake = await startAzureComputeFake();
});

afterAll(async () => {
  await fake?.close();
});

function azure(overrides: { clientSecret?: string } = {}): ProviderV1 {
  return createAzure({
    compute: { subscriptionId: fake.subscriptionId, resourceGroup: fake.resourceGroup, managementBaseURL: fake.url },
    credentials: { ...fake.credentials, authorityBaseURL: fake.url, ...overrides },
    allowPrivateNetwork: true,
  });
}

function compute(provider: ProviderV1, operation: string, input: unknown) {
  return provider.execute({ capability: 'compute', operation, input }, createCallContext());
}

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!IntegrationError.isInstance(outcome)) throw new Error(`expected an IntegrationError, got ${String(outcome)}`);
  return outcome;
}

testComputeProvider({
  create: () => azure(),
  instances() {
    machineCount += 1;
    fake.addMachine(`web-${machineCount}`, 'running', { team: 'switchyard' });
    fake.addMachine(`batch-${machineCount}`, 'deallocated');
    return Promise.resolve({
      running: `${fake.resourceGroup}/web-${machineCount}`,
      stopped: `${fake.resourceGroup}/batch-${machineCount}`,
    });
  },
  missingInstanceId: 'switchyard-rg/no-such-vm',
  settleTimeoutMs: 5000,
  additionalTests() {
    it('maps a machine: size, location, tags, creation time and the PowerState code', async () => {
      fake.addMachine('mapped-vm', 'running', { owner: 'billing' });
      expect(await compute(azure(), 'getInstance', { instanceId: `${fake.resourceGroup}/mapped-vm` })).toEqual({
        id: `${fake.resourceGroup}/mapped-vm`,
        name: 'mapped-vm',
        state: 'running',
        providerState: 'PowerState/running',
        machineType: 'Standard_B1s',
        zone: 'westeurope',
        launchedAt: '2025-01-31T09:30:00.000Z',
        labels: { owner: 'billing' },
      });
    });

    it('reports stopping right after a deallocate, as PowerState/deallocating', async () => {
      fake.addMachine('draining-vm', 'running');
      const provider = azure();
      await compute(provider, 'stopInstance', { instanceId: `${fake.resourceGroup}/draining-vm` });
      expect(await compute(provider, 'getInstance', { instanceId: `${fake.resourceGroup}/draining-vm` })).toMatchObject({
        state: 'stopping',
        providerState: 'PowerState/deallocating',
      });
    });
  },
});

describe('compute errors', () => {
  it('fails with auth, without the client secret anywhere, when Entra ID refuses the secret', async () => {
    const wrongSecret = 'planted-wrong-client-secret-123456';
    const error = await failure(compute(azure({ clientSecret: wrongSecret }), 'getInstance', { instanceId: `${fake.resourceGroup}/any` }));
    expect(error.kind).toBe('auth');
    expect(JSON.stringify({ message: error.message, json: error.toJSON(), cause: error.cause })).not.toContain(wrongSecret);
  });

  const statuses: [number, string, string][] = [
    [403, 'AuthorizationFailed', 'auth'],
    [409, 'OperationNotAllowed', 'conflict'],
  ];
  for (const [status, code, kind] of statuses) {
    it(`classifies ${status} ${code} as ${kind}, quoting Azure's code and message`, async () => {
      fake.failNext({ status, body: { error: { code, message: `Azure said ${code}.` } } });
      const error = await failure(compute(azure(), 'getInstance', { instanceId: `${fake.resourceGroup}/any` }));
      expect({ kind: error.kind, statusCode: error.statusCode }).toEqual({ kind, statusCode: status });
      expect(error.message).toContain(`${code}: Azure said ${code}.`);
    });
  }

  it('refuses an instance id without a resource group, and an unknown cursor, before sending anything', async () => {
    const before = fake.requests.length;
    expect((await failure(compute(azure(), 'getInstance', { instanceId: 'just-a-name' }))).kind).toBe('validation');
    expect((await failure(compute(azure(), 'startInstance', { instanceId: 'rg/vm/extra' }))).kind).toBe('validation');
    expect((await failure(compute(azure(), 'listInstances', { limit: 5, cursor: 'not-a-cursor' }))).kind).toBe('validation');
    expect(fake.requests.length).toBe(before);
  });

  it('reports a compute health entry', async () => {
    const report = await createAzure({
      compute: { subscriptionId: fake.subscriptionId, resourceGroup: fake.resourceGroup, managementBaseURL: fake.url },
      credentials: { ...fake.credentials, authorityBaseURL: fake.url },
      allowPrivateNetwork: true,
    }).healthCheck({ signal: new AbortController().signal });
    expect(report.services).toEqual([{ service: 'compute', reachable: true, latencyMs: expect.any(Number) as number }]);
  });

  it('refuses a loopback management endpoint unless allowPrivateNetwork is set', async () => {
    const provider = createAzure({
      compute: { subscriptionId: fake.subscriptionId, resourceGroup: fake.resourceGroup, managementBaseURL: fake.url },
      credentials: { ...fake.credentials, authorityBaseURL: fake.url },
    });
    expect((await failure(compute(provider, 'listInstances', { limit: 5 }))).kind).toBe('validation');
  });
});
