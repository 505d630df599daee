import type { ComputeOperationName, InstanceState, ProviderV1 } from '@switchyard/core';
import { computeV1 } from '@switchyard/core/compute';
import { expect } from 'vitest';
import type { CapabilityClient } from './capability-client';
import { collectPages, expectValidationWithoutProviderCall, pollUntil } from './suite-helpers';
import { testCapability, type AdditionalTestsContext, type CapabilityCase } from './test-capability';

type ComputeClient = CapabilityClient<typeof computeV1>;
type ComputeCase = CapabilityCase<typeof computeV1>;

/** Options for {@link testComputeProvider} and {@link computeProviderCases}. */
export interface TestComputeProviderOptions {
  /** Builds a fresh provider; called once per test. */
  readonly create: () => ProviderV1;
  /** Operations the provider does not support; their tests are skipped. Default: none. */
  readonly unsupported?: readonly ComputeOperationName[];
  /**
   * Makes (or finds) fresh instances for one test: at least one running and
   * one stopped. Called once per test that needs them, after `create`.
   */
  readonly instances: () => Promise<{ readonly running: string; readonly stopped: string }>;
  /** An id in the provider's format that does not exist, e.g. `"i-0000000000000000f"`. */
  readonly missingInstanceId: string;
  /** How long to poll for a state transition to settle. Default: 10 000 ms. */
  readonly settleTimeoutMs?: number;
  /** Extra tests to run inside the suite's `describe` block. */
  readonly additionalTests?: (context: AdditionalTestsContext<typeof computeV1>) => void;
}

const DEFAULT_SETTLE_TIMEOUT_MS = 10_000;
/** Enough pages of one for any test account; a provider whose cursors never end fails `exhausted`. */
const MAXIMUM_PAGES = 500;

/** Every instance the provider lists (in `state`, when given), following cursors to the end. */
async function listAll(compute: ComputeClient, limit: number, state?: InstanceState) {
  return collectPages({
    label: state === undefined ? 'listInstances' : `listInstances (state ${state})`,
    limit,
    maximumPages: MAXIMUM_PAGES,
    fetchPage: async (cursor) => {
      const page = await compute.call('listInstances', {
        limit,
        ...(state === undefined ? {} : { state }),
        ...(cursor === undefined ? {} : { cursor }),
      });
      return { items: page.instances, nextCursor: page.nextCursor };
    },
  });
}

/**
 * The test cases of the compute contract, for {@link testComputeProvider} or
 * `runCapabilityCases`. Each works on the instances `instances()` hands it,
 * so cases can run against a shared account or emulator.
 */
export function computeProviderCases(options: TestComputeProviderOptions): ComputeCase[] {
  const settleTimeoutMs = options.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS;

  /** Polls getInstance until the machine is in `state`, failing after the settle timeout. */
  function waitForState(compute: ComputeClient, instanceId: string, state: InstanceState) {
    return pollUntil({
      label: `instance ${instanceId} reaching ${state}`,
      timeoutMs: settleTimeoutMs,
      intervalMs: 100,
      read: () => compute.call('getInstance', { instanceId }),
      done: (instance) => instance.state === state,
    });
  }

  const instancesCase = (
    title: string,
    operations: ComputeOperationName[],
    test: (compute: ComputeClient, instances: { readonly running: string; readonly stopped: string }) => Promise<void>,
  ): ComputeCase => ({ title, operations, run: async (compute) => test(compute, await options.instances()) });

  return [
    instancesCase('lists a running and a stopped instance with their states', ['listInstances'], async (compute, { running, stopped }) => {
      const listed = await listAll(compute, 100);
      expect(listed.exhausted, 'listInstances runs out of pages').toBe(true);
      const states = Object.fromEntries(listed.items.map((instance) => [instance.id, instance.state]));
      expect({ [running]: states[running], [stopped]: states[stopped] }).toEqual({ [running]: 'running', [stopped]: 'stopped' });
    }),
    instancesCase('lists only instances in the state asked for', ['listInstances'], async (compute, { running, stopped }) => {
      const listed = await listAll(compute, 100, 'running');
      const ids = listed.items.map((instance) => instance.id);
      expect(ids, 'the running instance is listed').toContain(running);
      expect(ids, 'the stopped instance is left out').not.toContain(stopped);
      expect(
        listed.items.filter((instance) => instance.state !== 'running'),
        'every listed instance is running',
      ).toEqual([]);
    }),
    instancesCase('lists instances one page at a time, each exactly once', ['listInstances'], async (compute, { running, stopped }) => {
      const first = await compute.call('listInstances', { limit: 1 });
      expect(first.instances.length, 'a page of limit 1 holds at most one instance').toBeLessThanOrEqual(1);
      expect(first.nextCursor, 'with two instances, the first page of one has a cursor').toBeDefined();
      const paged = await listAll(compute, 1);
      expect(paged.exhausted, 'listInstances runs out of pages').toBe(true);
      const ids = paged.items.map((instance) => instance.id);
      expect(ids.length, 'no instance appears twice across pages').toBe(new Set(ids).size);
      expect(ids).toEqual(expect.arrayContaining([running, stopped]));
    }),
    instancesCase(
      'describes an instance: id, state, the provider’s own state word and labels',
      ['getInstance'],
      async (compute, { running, stopped }) => {
        for (const [instanceId, state] of [
          [running, 'running'],
          [stopped, 'stopped'],
        ] as const) {
          const instance = await compute.call('getInstance', { instanceId });
          expect({ id: instance.id, state: instance.state }, 'getInstance output').toEqual({ id: instanceId, state });
          expect(instance.providerState, 'providerState is the provider’s own word').not.toBe('');
          expect(typeof instance.labels, 'labels is an object, {} when there are none').toBe('object');
        }
      },
    ),
    instancesCase(
      'stops a running instance: stopping (or stopped) at once, then stopped',
      ['stopInstance', 'getInstance'],
      async (compute, { running }) => {
        const change = await compute.call('stopInstance', { instanceId: running });
        expect({ instanceId: change.instanceId, previousState: change.previousState }, 'stopInstance output').toEqual({
          instanceId: running,
          previousState: 'running',
        });
        expect(['stopping', 'stopped'], 'the state right after stopInstance').toContain(change.currentState);
        await waitForState(compute, running, 'stopped');
      },
    ),
    instancesCase(
      'starts a stopped instance: pending (or running) at once, then running',
      ['startInstance', 'getInstance'],
      async (compute, { stopped }) => {
        const change = await compute.call('startInstance', { instanceId: stopped });
        expect({ instanceId: change.instanceId, previousState: change.previousState }, 'startInstance output').toEqual({
          instanceId: stopped,
          previousState: 'stopped',
        });
        expect(['pending', 'running'], 'the state right after startInstance').toContain(change.currentState);
        await waitForState(compute, stopped, 'running');
      },
    ),
    instancesCase('starts a running instance without complaint, leaving it running', ['startInstance'], async (compute, { running }) => {
      const change = await compute.call('startInstance', { instanceId: running });
      expect({ instanceId: change.instanceId, previousState: change.previousState }, 'startInstance output').toEqual({
        instanceId: running,
        previousState: 'running',
      });
      expect(['running', 'pending'], 'the state right after starting a running instance').toContain(change.currentState);
    }),
    {
      title: 'reports not_found for describing or starting an instance that does not exist',
      operations: ['getInstance', 'startInstance'],
      async run(compute) {
        await compute.expectError('getInstance', { instanceId: options.missingInstanceId }, 'not_found');
        await compute.expectError('startInstance', { instanceId: options.missingInstanceId }, 'not_found');
      },
    },
    {
      title: 'rejects an empty instance id and one with a space as validation errors, without calling the provider',
      operations: [],
      run: ({ provider }) =>
        expectValidationWithoutProviderCall(provider, computeV1.name, [
          { label: 'an empty id', operation: 'getInstance', input: { instanceId: '' } },
          { label: 'an id with a space', operation: 'startInstance', input: { instanceId: 'has space' } },
          { label: 'an id with a space', operation: 'stopInstance', input: { instanceId: 'has space' } },
          { label: 'an unknown state filter', operation: 'listInstances', input: { state: 'sleeping' } },
        ]),
    },
  ];
}

/**
 * The contract suite every `compute` provider runs: listing (by state, page
 * by page), describing, stopping and starting machines until they settle,
 * idempotent starts, not_found for missing machines, and validation before
 * any provider call, each against a fresh provider, every output checked
 * against `computeV1`.
 *
 * @example
 * ```ts
 * testComputeProvider({ create: () => createAws({ endpoint: localstack }), instances: launchTwo, missingInstanceId: 'i-0000000000000000f' });
 * ```
 */
export function testComputeProvider(options: TestComputeProviderOptions): void {
  testCapability({
    contract: computeV1,
    create: options.create,
    unsupported: options.unsupported,
    additionalTests: options.additionalTests,
    cases: computeProviderCases(options),
  });
}
