import { IntegrationError, type ProviderV1 } from '@switchyard/core';
import { functionsV1 } from '@switchyard/core/functions';
import { createCallContext, echoFunctionZip, functionsProviderCases, testCapability } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureFunctionsFake, type AzureFunctionsFake } from './__peers__/azure-functions-fake';
import { createAzure, type AzureFunctionsSettings } from './index';

let fake: AzureFunctionsFake;

beforeAll(async () => {
  fake = await startAzureFunctionsFake();
});

afterAll(async () => {
  await fake?.close();
});

function azure(functions: Partial<AzureFunctionsSettings> = {}, clientSecret?: string): ProviderV1 {
  return createAzure({
    functions: {
      appName: fake.appName,
      baseURL: fake.url,
      functionKey: fake.hostKey,
      subscriptionId: fake.subscriptionId,
      resourceGroup: fake.resourceGroup,
      managementBaseURL: fake.url,
      ...functions,
    },
    credentials: { ...fake.credentials, authorityBaseURL: fake.url, ...(clientSecret === undefined ? {} : { clientSecret }) },
    allowPrivateNetwork: true,
  });
}

function functions(provider: ProviderV1, operation: string, input: unknown) {
  return provider.execute({ capability: 'functions', operation, input }, createCallContext());
}

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!IntegrationError.isInstance(outcome)) throw new Error(`expected an IntegrationError, got ${String(outcome)}`);
  return outcome;
}

const ASYNC_CASE = 'invokes asynchronously';

// testFunctionsProvider's cases, less the async one: HTTP triggers have no async mode, and this provider
// answers mode "async" with unsupported (asserted below) instead of pretending.
testCapability({
  contract: functionsV1,
  create: () => azure(),
  cases: functionsProviderCases({ create: () => azure() }).filter((testCase) => !testCase.title.startsWith(ASYNC_CASE)),
  additionalTests() {
    it('answers an async invocation with unsupported, before sending anything', async () => {
      const before = fake.requests.length;
      const error = await failure(functions(azure(), 'invokeFunction', { name: 'anything', payload: {}, mode: 'async' }));
      expect(error.kind).toBe('unsupported');
      expect(fake.requests.length).toBe(before);
    });

    it('maps a deployed function: name, language, active, invoke URL', async () => {
      const provider = azure();
      await functions(provider, 'deployFunction', { name: 'mapped-echo', zipBase64: echoFunctionZip() });
      expect(await functions(provider, 'getFunction', { name: 'mapped-echo' })).toEqual({
        name: 'mapped-echo',
        runtime: 'node',
        state: 'active',
        url: `${fake.url}/api/mapped-echo`,
      });
      const put = fake.requests.findLast((request) => request.method === 'PUT');
      const sent = JSON.parse(put?.body ?? '{}') as {
        properties: { files: Record<string, string>; config: { bindings: { type: string }[] } };
      };
      expect(Object.values(sent.properties.files).join('\n'), 'the zip’s files are sent').toContain('exports.handler');
      expect(sent.properties.config.bindings.map((binding) => binding.type)).toEqual(['httpTrigger', 'http']);
    });

    it('invokes with a function-level key, and fails with auth (no key in the message) with a wrong one', async () => {
      await functions(azure(), 'deployFunction', { name: 'keyed-echo', zipBase64: echoFunctionZip() });
      const ownKey = fake.functionKeys.get('keyed-echo') ?? '';
      const keyed = azure({ functionKey: undefined, functionKeys: { 'keyed-echo': ownKey } });
      expect(await functions(keyed, 'invokeFunction', { name: 'keyed-echo', payload: [1, 2], mode: 'sync' })).toEqual({
        statusCode: 200,
        result: [1, 2],
      });
      const wrongKey = 'planted-wrong-function-key-0123456789';
      const error = await failure(
        functions(azure({ functionKey: wrongKey }), 'invokeFunction', { name: 'keyed-echo', payload: {}, mode: 'sync' }),
      );
      expect({ kind: error.kind, statusCode: error.statusCode }).toEqual({ kind: 'auth', statusCode: 401 });
      expect(JSON.stringify({ message: error.message, json: error.toJSON() })).not.toContain(wrongKey);
    });

    it('returns functionError when the function throws (the host answers 500)', async () => {
      await functions(azure(), 'deployFunction', { name: 'crashing-echo', zipBase64: echoFunctionZip() });
      fake.crashNext('crashing-echo');
      expect(await functions(azure(), 'invokeFunction', { name: 'crashing-echo', payload: {}, mode: 'sync' })).toEqual({
        statusCode: 500,
        functionError: 'The function failed with 500 Internal Server Error',
      });
    });

    it('reports a disabled function as failed', async () => {
      await functions(azure(), 'deployFunction', { name: 'disabled-echo', zipBase64: echoFunctionZip() });
      fake.disable('disabled-echo');
      expect(await functions(azure(), 'getFunction', { name: 'disabled-echo' })).toMatchObject({ state: 'failed' });
    });

    it('refuses per-function memory, timeout and environment with unsupported, before sending anything', async () => {
      const before = fake.requests.length;
      const error = await failure(functions(azure(), 'deployFunction', { name: 'tuned', zipBase64: echoFunctionZip(), memoryMb: 512 }));
      expect(error.kind).toBe('unsupported');
      expect(fake.requests.length).toBe(before);
    });

    it('refuses a package that is base64 but not a zip with validation, before sending anything', async () => {
      const before = fake.requests.length;
      const error = await failure(
        functions(azure(), 'deployFunction', { name: 'not-a-zip', zipBase64: Buffer.from('plain text, not a zip').toString('base64') }),
      );
      expect(error.kind).toBe('validation');
      expect(fake.requests.length).toBe(before);
    });
  },
});

describe('functions errors', () => {
  it('fails with auth, without the client secret anywhere, when Entra ID refuses the secret', async () => {
    const wrongSecret = 'planted-wrong-client-secret-for-functions';
    const error = await failure(functions(azure({}, wrongSecret), 'listFunctions', { limit: 5 }));
    expect(error.kind).toBe('auth');
    expect(JSON.stringify({ message: error.message, json: error.toJSON(), cause: error.cause })).not.toContain(wrongSecret);
  });

  it('reports not_found for an app that does not exist', async () => {
    const error = await failure(functions(azure({ appName: 'no-such-app' }), 'listFunctions', { limit: 5 }));
    expect(error.kind).toBe('not_found');
  });

  it('reports a functions health entry', async () => {
    const provider = createAzure({
      functions: {
        appName: fake.appName,
        baseURL: fake.url,
        subscriptionId: fake.subscriptionId,
        resourceGroup: fake.resourceGroup,
        managementBaseURL: fake.url,
      },
      credentials: { ...fake.credentials, authorityBaseURL: fake.url },
      allowPrivateNetwork: true,
    });
    expect((await provider.healthCheck({ signal: new AbortController().signal })).services).toEqual([
      { service: 'functions', reachable: true, latencyMs: expect.any(Number) as number },
    ]);
  });
});
