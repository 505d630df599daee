import type { CapabilityContract, ProviderV1 } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { createCallContext } from './call-context';
import { createCapabilityClient, expectIntegrationError, type CapabilityClient, type OperationName } from './capability-client';

/** One test of a capability contract, run against a fresh provider. */
export interface CapabilityCase<Contract extends CapabilityContract> {
  /** What a user would notice, e.g. `'deletes an object, after which get reports not_found'`. */
  readonly title: string;
  /** Every operation the case calls; it is skipped when the provider lists one of them as unsupported. */
  readonly operations: readonly OperationName<Contract>[];
  /** Throws when the provider breaks the contract. */
  run(client: CapabilityClient<Contract>): Promise<void> | void;
}

/** What {@link testCapability} hands `additionalTests`. */
export interface AdditionalTestsContext<Contract extends CapabilityContract> {
  /** A checked client for a fresh provider from `create`. */
  readonly createClient: () => CapabilityClient<Contract>;
}

/** Options for {@link testCapability} and {@link runCapabilityCases}. */
export interface TestCapabilityOptions<Contract extends CapabilityContract> {
  /** The contract under test, e.g. `storageV1`. */
  readonly contract: Contract;
  /** Builds a fresh provider; called once per case. */
  readonly create: () => ProviderV1;
  /**
   * Operations the provider does not support. The suite checks the manifest
   * leaves them out and skips every case that calls one. Default: none.
   */
  readonly unsupported?: readonly OperationName<Contract>[];
  /** The cases to run, after the manifest checks every capability suite starts with. */
  readonly cases: readonly CapabilityCase<Contract>[];
  /** Extra tests to run inside the suite's `describe` block. */
  readonly additionalTests?: (context: AdditionalTestsContext<Contract>) => void;
}

/** How one case of {@link runCapabilityCases} ended. */
export interface CapabilityCaseResult {
  readonly title: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** What the case threw, when it failed. */
  readonly error?: unknown;
}

const UNKNOWN_OPERATION = 'switchyardUnknownOperation';

/** The checks every capability suite starts with: the manifest and unknown operations. */
function manifestCases<Contract extends CapabilityContract>(options: TestCapabilityOptions<Contract>): CapabilityCase<Contract>[] {
  const { contract } = options;
  const unsupported: readonly string[] = options.unsupported ?? [];
  const contractOperations = Object.keys(contract.operations);
  return [
    {
      title: `declares ${contract.name} v${contract.version} in its manifest with exactly the operations it supports`,
      operations: [],
      run({ provider }) {
        const unknown = unsupported.filter((operation) => !contractOperations.includes(operation));
        expect(unknown, `'unsupported' names operations ${contract.name} v${contract.version} does not have`).toEqual([]);
        const entry = provider.manifest.capabilities.find(
          (capability) => capability.name === contract.name && capability.version === contract.version,
        );
        expect(entry, `manifest.capabilities has no entry for ${contract.name} v${contract.version}`).toBeDefined();
        const expected = contractOperations.filter((operation) => !unsupported.includes(operation)).sort();
        expect([...(entry?.operations ?? [])].sort(), `manifest lists the ${contract.name} operations it supports, and no others`).toEqual(
          expected,
        );
      },
    },
    {
      title: 'answers an operation outside the contract with an unsupported error',
      operations: [],
      async run({ provider }) {
        const call = provider.execute({ capability: contract.name, operation: UNKNOWN_OPERATION, input: {} }, createCallContext());
        await expectIntegrationError(call, 'unsupported', `${contract.name}.${UNKNOWN_OPERATION}`);
      },
    },
  ];
}

interface PreparedCase {
  readonly title: string;
  readonly skip: boolean;
  run(): Promise<void>;
}

function prepareCases<Contract extends CapabilityContract>(options: TestCapabilityOptions<Contract>): PreparedCase[] {
  const unsupported: readonly string[] = options.unsupported ?? [];
  return [...manifestCases(options), ...options.cases].map((testCase) => ({
    title: testCase.title,
    skip: testCase.operations.some((operation) => unsupported.includes(operation)),
    async run() {
      await testCase.run(createCapabilityClient(options.contract, options.create()));
    },
  }));
}

/**
 * The contract-suite mechanism every capability suite (storage, messaging,
 * issues, ...) is built on, in the manner of unstorage's `testDriver`: one
 * vitest `describe` per contract, one `it` per case, each against a fresh
 * provider from `create`, every input parsed and every output checked against
 * the contract's schemas. It first checks that the manifest lists exactly the
 * supported operations and that unknown operations fail with `unsupported`;
 * cases calling an operation in `unsupported` are skipped.
 *
 * @example
 * ```ts
 * testCapability({ contract: storageV1, create: () => createAcmeStorage(), cases: storageProviderCases({ ... }) });
 * ```
 */
export function testCapability<Contract extends CapabilityContract>(options: TestCapabilityOptions<Contract>): void {
  describe(`${options.contract.name} v${options.contract.version} contract`, () => {
    for (const prepared of prepareCases(options)) {
      // Skipped on purpose: the provider declared an operation this case calls as unsupported, and the title says so.
      if (prepared.skip) it.skip(`${prepared.title} (skipped: uses an operation the provider does not support)`, () => prepared.run());
      else it(prepared.title, () => prepared.run());
    }
    options.additionalTests?.({
      createClient: () => createCapabilityClient(options.contract, options.create()),
    });
  });
}

/**
 * Runs the same cases as {@link testCapability}, one after another, outside
 * vitest's collection, and reports how each ended instead of failing. Use it
 * to prove a suite catches a broken provider, or to check a configured
 * provider from a script.
 */
export async function runCapabilityCases<Contract extends CapabilityContract>(
  options: TestCapabilityOptions<Contract>,
): Promise<CapabilityCaseResult[]> {
  const results: CapabilityCaseResult[] = [];
  for (const prepared of prepareCases(options)) {
    if (prepared.skip) {
      results.push({ title: prepared.title, status: 'skipped' });
      continue;
    }
    try {
      await prepared.run();
      results.push({ title: prepared.title, status: 'passed' });
    } catch (error) {
      results.push({ title: prepared.title, status: 'failed', error });
    }
  }
  return results;
}
