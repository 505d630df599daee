import type { IHttpClient } from '@azure/storage-blob';
import { createCallContext } from '@switchyard/testing';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureComputeFake, type AzureComputeFake } from './__peers__/azure-compute-fake';
import { startAzureFunctionsFake, type AzureFunctionsFake } from './__peers__/azure-functions-fake';
import { createAzure } from './index';

/** An undici agent that records every request it sends. */
class RecordingAgent extends Agent {
  readonly sent: string[] = [];

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.sent.push(`${options.method} ${options.path.split('?')[0] ?? ''}`);
    return super.dispatch(options, handler);
  }
}

let compute: AzureComputeFake;
let functions: AzureFunctionsFake;
const agent = new RecordingAgent();

beforeAll(async () => {
  [compute, functions] = await Promise.all([startAzureComputeFake(), startAzureFunctionsFake()]);
});

afterAll(async () => {
  await Promise.all([compute?.close(), functions?.close(), agent.close()]);
});

describe('transport settings', () => {
  it('sends Entra ID token and Resource Manager requests through `dispatcher`', async () => {
    compute.addMachine('routed-vm', 'running');
    const azure = createAzure({
      compute: { subscriptionId: compute.subscriptionId, resourceGroup: compute.resourceGroup, managementBaseURL: compute.url },
      credentials: { ...compute.credentials, authorityBaseURL: compute.url },
      dispatcher: agent,
      allowPrivateNetwork: true,
    });
    await azure.execute(
      { capability: 'compute', operation: 'getInstance', input: { instanceId: `${compute.resourceGroup}/routed-vm` } },
      createCallContext(),
    );
    expect(agent.sent).toEqual(
      expect.arrayContaining([
        `POST /${compute.credentials.tenantId}/oauth2/v2.0/token`,
        `GET /subscriptions/${compute.subscriptionId}/resourceGroups/${compute.resourceGroup}/providers/Microsoft.Compute/virtualMachines/routed-vm`,
      ]),
    );
  });

  it('sends function invocations through `dispatcher`', async () => {
    const azure = createAzure({
      functions: { baseURL: functions.url, functionKey: functions.hostKey },
      dispatcher: agent,
      allowPrivateNetwork: true,
    });
    const call = azure.execute(
      { capability: 'functions', operation: 'invokeFunction', input: { name: 'not-deployed', payload: {} } },
      createCallContext(),
    );
    await expect(call).rejects.toMatchObject({ kind: 'not_found' });
    expect(agent.sent).toContain('POST /api/not-deployed');
  });

  it('sends blob requests through `storage.httpClient`, the SDK’s own equivalent', async () => {
    const sent: string[] = [];
    const httpClient: IHttpClient = {
      sendRequest(request) {
        sent.push(`${request.method} ${new URL(request.url).pathname}`);
        return Promise.reject(Object.assign(new Error('connect ECONNREFUSED (test client)'), { code: 'ECONNREFUSED' }));
      },
    };
    const azure = createAzure({
      storage: { accountName: 'devstoreaccount1', accountKey: 'a2V5', endpoint: 'https://blob.example.test/devstoreaccount1', httpClient },
    });
    const call = azure.execute(
      { capability: 'storage', operation: 'headObject', input: { bucket: 'routed', key: 'k' } },
      createCallContext(),
    );
    await expect(call).rejects.toMatchObject({ kind: 'network', provider: 'azure' });
    expect(sent).toEqual(['HEAD /devstoreaccount1/routed/k']);
  });
});
