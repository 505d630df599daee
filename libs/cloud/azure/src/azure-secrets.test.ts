import { createHub, type HubEvents } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureComputeFake, type AzureComputeFake } from './__peers__/azure-compute-fake';
import { startAzureFunctionsFake, type AzureFunctionsFake } from './__peers__/azure-functions-fake';
import { createAzure } from './index';

const clientSecret = 'planted-client-secret-ZX81-0123456789';
const functionKey = 'planted-function-key-C64-0123456789';
const accountKey = Buffer.from('planted-account-key-AMIGA-0123456789').toString('base64');

let compute: AzureComputeFake;
let functions: AzureFunctionsFake;

beforeAll(async () => {
  [compute, functions] = await Promise.all([startAzureComputeFake({ clientSecret }), startAzureFunctionsFake()]);
});

afterAll(async () => {
  await Promise.all([compute?.close(), functions?.close()]);
});

describe('planted secrets', () => {
  it('never reach an error, its cause, an event or a health report through a hub, even when a service echoes them', async () => {
    // Services that echo what they were sent: the secrets reach the provider's errors and must be redacted there.
    compute.failNext({
      status: 403,
      body: { error: { code: 'AuthorizationFailed', message: `client ${clientSecret} may not list machines` } },
    });
    functions.failNext({ status: 404, body: `no function for key ${functionKey}` });
    const azure = createAzure({
      storage: { accountName: 'devstoreaccount1', accountKey, endpoint: 'http://127.0.0.1:9/devstoreaccount1' },
      functions: {
        appName: functions.appName,
        baseURL: functions.url,
        functionKey,
        subscriptionId: functions.subscriptionId,
        resourceGroup: functions.resourceGroup,
        managementBaseURL: functions.url,
      },
      compute: { subscriptionId: compute.subscriptionId, resourceGroup: compute.resourceGroup, managementBaseURL: compute.url },
      credentials: { ...compute.credentials, clientSecret, authorityBaseURL: compute.url },
      allowPrivateNetwork: true,
    });
    const seen: unknown[] = [];
    const listen =
      <Type extends keyof HubEvents>(type: Type) =>
      (event: HubEvents[Type]) =>
        void seen.push({ type, event });
    const hub = createHub({
      providers: [azure],
      events: {
        request: listen('request'),
        attempt: listen('attempt'),
        failover: listen('failover'),
        breaker: listen('breaker'),
        health: listen('health'),
      },
    });
    try {
      const recordFailure = (error: unknown) => ({
        error,
        cause: (error as Error).cause,
        json: (error as { toJSON?: () => unknown }).toJSON?.(),
      });
      const calls = [
        hub.execute({ capability: 'compute', operation: 'listInstances', input: {} }),
        hub.execute({ capability: 'functions', operation: 'invokeFunction', input: { name: 'missing', payload: {} } }),
        hub.execute({ capability: 'storage', operation: 'headObject', input: { bucket: 'planted', key: accountKey } }),
      ];
      seen.push(...(await Promise.all(calls.map((call) => call.catch(recordFailure)))));
      seen.push(await azure.healthCheck({ signal: new AbortController().signal }));
    } finally {
      await hub.close();
    }
    const everything = JSON.stringify(seen, (_key, value: unknown) =>
      value instanceof Error ? { message: value.message, cause: value.cause } : value,
    );
    expect(seen.length, 'events and errors were recorded').toBeGreaterThan(4);
    expect(everything, 'the echoed messages were recorded, redacted').toContain('may not list machines');
    expect(everything).toContain('no function for key [REDACTED]');
    for (const secret of [clientSecret, functionKey, accountKey]) expect(everything).not.toContain(secret);
  });
});
