import { Buffer } from 'node:buffer';
import { IntegrationError, type FunctionsOperationName, type ProviderV1 } from '@switchyard/core';
import { functionsV1 } from '@switchyard/core/functions';
import { describe, expect, it } from 'vitest';
import { createMemoryFunctionsProvider } from '@switchyard/core/testing';
import { createCapabilityClient } from './capability-client';
import { functionsProviderCases, testFunctionsProvider } from './functions-suite';
import { overrideOperation, withoutOperations } from './provider-overrides';
import { runCapabilityCases, type CapabilityCaseResult } from './test-capability';
import { testProvider } from './test-provider';
import { echoFunctionZip } from './zip-archive';

testProvider({ id: 'memory-functions', category: 'cloud', create: () => createMemoryFunctionsProvider() });

// The suite against a correct implementation, twice: deploying its own functions, and
// a provider that cannot deploy, tested on a function that already exists.
testFunctionsProvider({ create: () => createMemoryFunctionsProvider(), deployInput: { runtime: 'nodejs22.x', handler: 'index.handler' } });
const prepared = createMemoryFunctionsProvider();
await createCapabilityClient(functionsV1, prepared).call('deployFunction', { name: 'existing-echo', zipBase64: echoFunctionZip() });
testFunctionsProvider({
  create: () => withoutOperations(prepared, ['deployFunction', 'deleteFunction']),
  unsupported: ['deployFunction', 'deleteFunction'],
  existingFunction: 'existing-echo',
});

async function runSuite(create: () => ProviderV1, unsupported: FunctionsOperationName[] = []): Promise<CapabilityCaseResult[]> {
  return runCapabilityCases({ contract: functionsV1, create, unsupported, cases: functionsProviderCases({ create, unsupported }) });
}

async function failedTitles(create: () => ProviderV1): Promise<string[]> {
  return (await runSuite(create)).filter((result) => result.status === 'failed').map((result) => result.title);
}

function broken(operation: FunctionsOperationName, override: Parameters<typeof overrideOperation>[2]): () => ProviderV1 {
  return () => overrideOperation(createMemoryFunctionsProvider(), operation, override);
}

describe('the functions suite catches broken providers', () => {
  it('passes the memory provider on every case', async () => {
    const results = await runSuite(() => createMemoryFunctionsProvider());
    expect(results.filter((result) => result.status !== 'passed')).toEqual([]);
    expect(results.length).toBe(2 + functionsProviderCases({ create: createMemoryFunctionsProvider }).length);
  });

  it('fails a provider whose functions do not echo, or answer async calls like sync ones', async () => {
    const wrongResult = broken('invokeFunction', async (request, _context, original) => ({
      ...((await original(request)) as object),
      result: { hello: 'someone else' },
    }));
    expect(await failedTitles(wrongResult)).toEqual([
      'invokes synchronously: status 200 and the payload echoed back as the result',
      'invokes asynchronously: status 202 and no result',
    ]);
    const alwaysSync = broken('invokeFunction', (request, _context, original) =>
      original({ ...request, input: { ...(request.input as object), mode: 'sync' } }),
    );
    expect(await failedTitles(alwaysSync)).toEqual(['invokes asynchronously: status 202 and no result']);
  });

  it('fails a provider whose deleteFunction does nothing, or that cannot deploy a name twice', async () => {
    const forgetful = broken('deleteFunction', (request) => Promise.resolve(request.input));
    expect(await failedTitles(forgetful)).toEqual([
      'deletes a function: get and invoke then report not_found, and so does deleting it again',
    ]);
    let deployed = new Set<string>();
    const once = () => {
      deployed = new Set();
      return overrideOperation(createMemoryFunctionsProvider(), 'deployFunction', (request, _context, original) => {
        const { name } = request.input as { name: string };
        if (deployed.has(name)) return Promise.reject(new IntegrationError({ kind: 'conflict', message: `${name} exists` }));
        deployed.add(name);
        return original(request);
      });
    };
    expect(await failedTitles(once)).toEqual(['deploys again under the same name: the second deployment succeeds and replaces the first']);
  });

  it('fails a provider that ignores the list limit or never hands out a cursor', async () => {
    const unlimited = broken('listFunctions', (request, _context, original) =>
      original({ ...request, input: { ...(request.input as object), limit: 50 } }),
    );
    expect(await failedTitles(unlimited)).toEqual(['lists deployed functions one page at a time, each exactly once']);
    const firstPageOnly = broken('listFunctions', async (request, _context, original) => {
      const page = (await original(request)) as { functions: unknown[] };
      return { functions: page.functions };
    });
    expect(await failedTitles(firstPageOnly)).toEqual(['lists deployed functions one page at a time, each exactly once']);
  });

  it('fails a provider that reports missing functions as another kind of error', async () => {
    const misclassifying = broken('getFunction', (request, _context, original) =>
      original(request).catch((error: unknown) => {
        throw IntegrationError.isInstance(error) ? new IntegrationError({ kind: 'provider', message: error.message }) : error;
      }),
    );
    expect(await failedTitles(misclassifying)).toEqual([
      'reports not_found for invoking or reading a function that does not exist',
      'deletes a function: get and invoke then report not_found, and so does deleting it again',
    ]);
  });

  it('fails a deployment whose answer breaks the contract, naming the operation and field', async () => {
    const create = broken('deployFunction', async (request, _context, original) => ({
      ...((await original(request)) as object),
      state: 'deployed',
    }));
    const failed = (await runSuite(create)).filter((result) => result.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const result of failed) {
      expect(String(result.error)).toMatch(
        /functions\.deployFunction \(provider memory-functions\) returned output that breaks the contract: state:/,
      );
    }
  });
});

describe('createMemoryFunctionsProvider', () => {
  it('has a manifest listing every functions operation', () => {
    const { manifest } = createMemoryFunctionsProvider({ id: 'memory-f' });
    expect(manifest).toMatchObject({ id: 'memory-f', category: 'cloud', authKinds: ['none'] });
    expect(manifest.capabilities).toEqual([{ name: 'functions', version: 1, operations: Object.keys(functionsV1.operations) }]);
  });

  it('refuses a package that is not a zip archive', async () => {
    const functions = createCapabilityClient(functionsV1, createMemoryFunctionsProvider());
    await functions.expectError('deployFunction', { name: 'echo', zipBase64: Buffer.from('plain text').toString('base64') }, 'validation');
  });

  it('echoes null when invoked without a payload', async () => {
    const functions = createCapabilityClient(functionsV1, createMemoryFunctionsProvider());
    await functions.call('deployFunction', { name: 'echo', zipBase64: echoFunctionZip() });
    expect(await functions.call('invokeFunction', { name: 'echo' })).toEqual({ statusCode: 200, result: null });
  });
});
