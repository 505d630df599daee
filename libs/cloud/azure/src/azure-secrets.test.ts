import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { createHub, redact, redactText, type HubEvents } from '@switchyard/core';
import { createCallContext, integrationErrorOf, printedForms, startFaultServer } from '@switchyard/testing';
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

describe('the provider object', () => {
  it('holds no secret of its settings in any property, hidden or serialized', () => {
    const sasToken = 'sv=2024-11-04&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=planted-sas-signature-0123456789';
    const connectionKey = Buffer.from('planted-connection-key-0123456789').toString('base64');
    const settings = {
      functions: { appName: 'acme', functionKey, functionKeys: { resize: 'planted-resize-key-0123456789' }, resourceGroup: 'rg' },
      compute: { subscriptionId: compute.subscriptionId, resourceGroup: compute.resourceGroup },
      credentials: { ...compute.credentials, clientSecret },
    };
    const planted = [clientSecret, functionKey, 'planted-resize-key-0123456789', accountKey, sasToken, connectionKey];
    const providers = [
      createAzure({ ...settings, storage: { accountName: 'acme', accountKey } }),
      createAzure({ ...settings, storage: { accountName: 'acme', sasToken } }),
      createAzure({ storage: { connectionString: `AccountName=acme;AccountKey=${connectionKey};EndpointSuffix=core.windows.net` } }),
    ];
    for (const provider of providers) {
      const text = printedForms(provider);
      for (const secret of planted) expect(text).not.toContain(secret);
    }
  });
});

describe("the provider's secret set", () => {
  it('hides a function key header and a Shared Key signature wherever they show, whatever their value', () => {
    const { secrets } = createAzure();
    expect(redact({ headers: { 'X-Functions-Key': 'some-function-key-0123' } }, secrets)).toEqual({
      headers: { 'X-Functions-Key': '[REDACTED]' },
    });
    expect(redactText('sent Authorization: SharedKey devstoreaccount1:AbCdEf0123456789+xyz= and failed', secrets)).toBe(
      'sent Authorization: [REDACTED] and failed',
    );
  });
});

describe('Resource Manager tokens', () => {
  it('keeps only the current access token: a refreshed one replaces the last, and each is redacted while live', async () => {
    let issued = 0;
    const tenant = compute.credentials.tenantId;
    const vmPath = `/subscriptions/${compute.subscriptionId}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm`;
    const server = await startFaultServer({
      // Tokens that live 2 s: the client refreshes them after half their lifetime.
      [`POST /${tenant}/oauth2/v2.0/token`]: () => {
        issued += 1;
        return { body: { token_type: 'Bearer', expires_in: 2, access_token: `arm-access-token-${issued}` } };
      },
      // A service that echoes the token it was sent, without the words ("Bearer", "token") a generic pattern would catch.
      [`GET ${vmPath}`]: (request) => ({
        status: 403,
        body: { error: { code: 'AuthorizationFailed', message: `caller ${request.headers.authorization?.slice(7) ?? ''} may not read` } },
      }),
    });
    try {
      const azure = createAzure({
        compute: { subscriptionId: compute.subscriptionId, resourceGroup: 'rg', managementBaseURL: server.url },
        credentials: { ...compute.credentials, clientSecret, authorityBaseURL: server.url },
        allowPrivateNetwork: true,
      });
      const getInstance = () =>
        azure.execute({ capability: 'compute', operation: 'getInstance', input: { instanceId: 'rg/vm' } }, createCallContext()).then(
          () => expect.fail('the call should fail'),
          (error: unknown) => error as Error,
        );
      expect((await getInstance()).message).toContain('caller [REDACTED] may not read');
      const size = azure.secrets?.size;
      await sleep(1_100);
      const second = await getInstance();
      expect(issued, 'a second token was fetched').toBe(2);
      expect(second.message).toContain('caller [REDACTED] may not read');
      expect(inspect(second, { depth: 10 })).not.toContain('arm-access-token-2');
      expect(azure.secrets?.size, 'the new token took the old one’s place').toBe(size);
      expect(redactText('arm-access-token-1', azure.secrets), 'the expired token is no longer kept').toBe('arm-access-token-1');
    } finally {
      await server.close();
    }
  });
});

describe('a SAS token', () => {
  // The signature of a SAS token, as base64 (with + / =) and as it sits URL-encoded in the token.
  const signature = 'k3Jq+9Xw/ZpL0mN7vB2cR5tY8uE1iO4aS6dF+gHjK2w=';
  const sasToken = `?sv=2024-11-04&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=${encodeURIComponent(signature)}`;
  const runsOf = (secret: string, text: string) =>
    Array.from({ length: secret.length - 7 }, (_, start) => secret.slice(start, start + 8)).filter((run) => text.includes(run));

  it('has its signature redacted on its own, decoded or URL-encoded, outside `sig=`', () => {
    for (const storage of [
      { accountName: 'acme', sasToken },
      { connectionString: `BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature=${sasToken.slice(1)}` },
    ]) {
      const { secrets } = createAzure({ storage });
      expect(redactText(`signature ${signature} did not match`, secrets)).toBe('signature [REDACTED] did not match');
      expect(redactText(`signature ${encodeURIComponent(signature)} did not match`, secrets)).toBe('signature [REDACTED] did not match');
    }
  });

  it('shows no part of its signature when the blob service echoes it bare', async () => {
    const server = await startFaultServer({
      'GET /devstoreaccount1/sas-container': {
        status: 403,
        headers: { 'content-type': 'application/xml', 'x-ms-error-code': 'AuthenticationFailed' },
        body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Signature ${signature} did not match. String to sign used was rl 2030-01-01T00:00:00Z</Message></Error>`,
      },
    });
    try {
      const azure = createAzure({ storage: { accountName: 'devstoreaccount1', sasToken, endpoint: `${server.url}/devstoreaccount1` } });
      const error = await integrationErrorOf(
        azure.execute({ capability: 'storage', operation: 'listObjects', input: { bucket: 'sas-container' } }, createCallContext()),
      );
      expect(error).toMatchObject({ kind: 'auth', statusCode: 403 });
      expect(error.message, 'the service’s message is quoted').toContain('did not match');
      const shown = `${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;
      expect(runsOf(signature, shown)).toEqual([]);
      expect(runsOf(encodeURIComponent(signature), shown)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
