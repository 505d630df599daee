import type { FunctionsOperationName, ProviderV1 } from '@switchyard/core';
import { functionsV1 } from '@switchyard/core/functions';
import { expect } from 'vitest';
import type { CapabilityClient } from './capability-client';
import { collectPages, expectValidationWithoutProviderCall, pollUntil, uniqueId } from './suite-helpers';
import { testCapability, type AdditionalTestsContext, type CapabilityCase } from './test-capability';
import { echoFunctionZip } from './zip-archive';

type FunctionsClient = CapabilityClient<typeof functionsV1>;
type FunctionsCase = CapabilityCase<typeof functionsV1>;

/** Options for {@link testFunctionsProvider} and {@link functionsProviderCases}. */
export interface TestFunctionsProviderOptions {
  /** Builds a fresh provider; called once per test. */
  readonly create: () => ProviderV1;
  /** Operations the provider does not support; their tests are skipped. Default: none. */
  readonly unsupported?: readonly FunctionsOperationName[];
  /** Extra deployFunction fields the provider needs, e.g. `{ runtime: 'nodejs22.x', handler: 'index.handler' }`. Default: none. */
  readonly deployInput?: { runtime?: string; handler?: string };
  /**
   * A function that already exists and echoes its event, for providers that
   * cannot deploy (`deployFunction` unsupported). Default: none; each test
   * deploys its own echo function and deletes it afterwards.
   */
  readonly existingFunction?: string;
  /** How long to wait for a deployment in state `pending` to become `active`. Default: 60 000 ms. */
  readonly settleTimeoutMs?: number;
  /** Extra tests to run inside the suite's `describe` block. */
  readonly additionalTests?: (context: AdditionalTestsContext<typeof functionsV1>) => void;
}

const PAYLOAD = { hello: 'world', n: 1 };
const DEFAULT_SETTLE_TIMEOUT_MS = 60_000;

/** A name no other test (or earlier run) uses: `sy-echo-` and twelve hex digits. */
function uniqueFunctionName(): string {
  return `sy-echo-${uniqueId()}`;
}

/**
 * The test cases of the functions contract, for {@link testFunctionsProvider}
 * or `runCapabilityCases`. Each deploys the echo function (a Lambda-style
 * handler that returns its event) under its own name and deletes it
 * afterwards, so cases can run against a shared account or emulator.
 */
export function functionsProviderCases(options: TestFunctionsProviderOptions): FunctionsCase[] {
  const unsupported: readonly FunctionsOperationName[] = options.unsupported ?? [];
  const canDeploy = !unsupported.includes('deployFunction');
  const canDelete = !unsupported.includes('deleteFunction');
  const canGet = !unsupported.includes('getFunction');
  const settleTimeoutMs = options.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS;
  /** The operations a case needs to have a function to work on. */
  const provisioning: FunctionsOperationName[] = options.existingFunction === undefined ? ['deployFunction'] : [];

  /** Deploys the echo function as `name`, waiting (when getFunction allows) until a pending deployment is active. */
  async function deployEcho(functions: FunctionsClient, name: string) {
    const deployed = await functions.call('deployFunction', { name, zipBase64: echoFunctionZip(), ...options.deployInput });
    if (deployed.state !== 'pending' || !canGet) return deployed;
    return pollUntil({
      label: `function ${name} becoming active`,
      timeoutMs: settleTimeoutMs,
      read: () => functions.call('getFunction', { name }),
      done: (info) => info.state !== 'pending',
    });
  }

  /**
   * Runs `test` with deployed echo functions (`count` of them), or with
   * `existingFunction`, deleting what it deployed afterwards (best effort).
   */
  async function withFunctions(functions: FunctionsClient, count: number, test: (names: string[]) => Promise<void>): Promise<void> {
    if (!canDeploy || options.existingFunction !== undefined) {
      if (options.existingFunction === undefined) {
        throw new Error('testFunctionsProvider needs `existingFunction` when the provider does not support deployFunction');
      }
      return test([options.existingFunction]);
    }
    const names = Array.from({ length: count }, uniqueFunctionName);
    try {
      for (const name of names) await deployEcho(functions, name);
      await test(names);
    } finally {
      if (canDelete) for (const name of names) await functions.call('deleteFunction', { name }).catch(() => undefined);
    }
  }

  const functionCase = (
    title: string,
    operations: FunctionsOperationName[],
    test: (functions: FunctionsClient, name: string) => Promise<void>,
  ): FunctionsCase => ({
    title,
    operations: [...provisioning, ...operations],
    run: (functions) => withFunctions(functions, 1, ([name]) => test(functions, name ?? '')),
  });

  /** A case that deploys its own functions itself, and deletes them afterwards. */
  const deployingCase = (
    title: string,
    operations: FunctionsOperationName[],
    test: (functions: FunctionsClient, name: string) => Promise<void>,
  ): FunctionsCase => ({
    title,
    operations: ['deployFunction', ...operations],
    async run(functions) {
      const name = uniqueFunctionName();
      try {
        await test(functions, name);
      } finally {
        if (canDelete) await functions.call('deleteFunction', { name }).catch(() => undefined);
      }
    },
  });

  return [
    deployingCase('deploys the echo function: the answer names it and says it is active or pending', [], async (functions, name) => {
      const deployed = await functions.call('deployFunction', { name, zipBase64: echoFunctionZip(), ...options.deployInput });
      expect(deployed.name, 'deployFunction returns the function’s name').toBe(name);
      expect(['active', 'pending'], 'a fresh deployment is active or pending').toContain(deployed.state);
    }),
    deployingCase(
      'deploys again under the same name: the second deployment succeeds and replaces the first',
      ['getFunction'],
      async (functions, name) => {
        await deployEcho(functions, name);
        const again = await functions.call('deployFunction', { name, zipBase64: echoFunctionZip(), ...options.deployInput });
        expect(again.name, 'the repeated deployment names the same function').toBe(name);
        expect(['active', 'pending'], 'the repeated deployment is active or pending').toContain(again.state);
        const info = await functions.call('getFunction', { name });
        expect(info.name, 'getFunction after the repeat').toBe(name);
      },
    ),
    functionCase('shows a deployed function in getFunction, active', ['getFunction'], async (functions, name) => {
      const info = await functions.call('getFunction', { name });
      expect({ name: info.name, state: info.state }).toEqual({ name, state: 'active' });
      if (options.deployInput?.runtime !== undefined && options.existingFunction === undefined) {
        expect(info.runtime, 'getFunction reports the runtime it was deployed with').toBe(options.deployInput.runtime);
      }
    }),
    {
      title: 'lists deployed functions one page at a time, each exactly once',
      operations: [...provisioning, 'listFunctions'],
      run: (functions) =>
        withFunctions(functions, 2, async (names) => {
          const first = await functions.call('listFunctions', { limit: 1 });
          expect(first.functions.length, 'a page of limit 1 holds at most one function').toBeLessThanOrEqual(1);
          if (names.length > 1) expect(first.nextCursor, 'with two functions deployed, the first page of one has a cursor').toBeDefined();
          const paged = await collectPages({
            label: 'listFunctions',
            limit: 1,
            maximumPages: 200,
            fetchPage: async (cursor) => {
              const page = await functions.call('listFunctions', { limit: 1, ...(cursor === undefined ? {} : { cursor }) });
              return { items: page.functions, nextCursor: page.nextCursor };
            },
          });
          const listed = paged.items.map((info) => info.name);
          expect(listed.length, 'no function appears twice across pages').toBe(new Set(listed).size);
          const seen = paged.exhausted
            ? listed
            : listed.concat((await functions.call('listFunctions', {})).functions.map((info) => info.name));
          for (const name of names) expect(seen, `listFunctions includes ${name}`).toContain(name);
        }),
    },
    functionCase(
      'invokes synchronously: status 200 and the payload echoed back as the result',
      ['invokeFunction'],
      async (functions, name) => {
        const invoked = await functions.call('invokeFunction', { name, payload: PAYLOAD, mode: 'sync' });
        expect(invoked, 'invokeFunction output').toEqual({ statusCode: 200, result: PAYLOAD });
        const byDefault = await functions.call('invokeFunction', { name, payload: PAYLOAD });
        expect(byDefault, 'mode defaults to sync').toEqual({ statusCode: 200, result: PAYLOAD });
      },
    ),
    functionCase('invokes asynchronously: status 202 and no result', ['invokeFunction'], async (functions, name) => {
      const invoked = await functions.call('invokeFunction', { name, payload: PAYLOAD, mode: 'async' });
      expect(invoked, 'invokeFunction output').toEqual({ statusCode: 202 });
    }),
    {
      title: 'reports not_found for invoking or reading a function that does not exist',
      operations: ['invokeFunction', 'getFunction'],
      async run(functions) {
        const name = `sy-missing-${uniqueId()}`;
        await functions.expectError('invokeFunction', { name, payload: PAYLOAD }, 'not_found');
        await functions.expectError('getFunction', { name }, 'not_found');
      },
    },
    deployingCase(
      'deletes a function: get and invoke then report not_found, and so does deleting it again',
      ['deleteFunction', 'getFunction', 'invokeFunction'],
      async (functions, name) => {
        await deployEcho(functions, name);
        expect(await functions.call('deleteFunction', { name }), 'deleteFunction output').toEqual({ name });
        await functions.expectError('getFunction', { name }, 'not_found');
        await functions.expectError('invokeFunction', { name, payload: PAYLOAD }, 'not_found');
        await functions.expectError('deleteFunction', { name }, 'not_found');
      },
    ),
    {
      title: 'rejects an empty name, a package that is not base64 and an unknown mode as validation errors, without calling the provider',
      operations: [],
      run: ({ provider }) =>
        expectValidationWithoutProviderCall(provider, functionsV1.name, [
          { label: 'an empty name', operation: 'invokeFunction', input: { name: '', payload: PAYLOAD } },
          { label: 'a name starting with a digit', operation: 'getFunction', input: { name: '1-echo' } },
          {
            label: 'a package that is not base64',
            operation: 'deployFunction',
            input: { name: uniqueFunctionName(), zipBase64: 'not base64!' },
          },
          { label: 'an unknown mode', operation: 'invokeFunction', input: { name: uniqueFunctionName(), mode: 'later' } },
        ]),
    },
  ];
}

/**
 * The contract suite every `functions` provider runs: deploying the echo
 * function (again, idempotently), reading and listing it page by page,
 * invoking it synchronously (the payload comes back) and asynchronously
 * (202), not_found for missing functions, deletion, and validation before any
 * provider call, each against a fresh provider, every output checked against
 * `functionsV1`.
 *
 * @example
 * ```ts
 * testFunctionsProvider({ create: () => createAws({ endpoint: localstack }), deployInput: { runtime: 'nodejs22.x', handler: 'index.handler' } });
 * ```
 */
export function testFunctionsProvider(options: TestFunctionsProviderOptions): void {
  testCapability({
    contract: functionsV1,
    create: options.create,
    unsupported: options.unsupported,
    additionalTests: options.additionalTests,
    cases: functionsProviderCases(options),
  });
}
