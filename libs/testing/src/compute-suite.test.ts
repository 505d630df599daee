import { IntegrationError, type ComputeOperationName, type ProviderV1 } from '@switchyard/core';
import { computeV1 } from '@switchyard/core/compute';
import { describe, expect, it } from 'vitest';
import { createMemoryComputeProvider, type MemoryComputeProvider } from '@switchyard/core/testing';
import { createCapabilityClient } from './capability-client';
import { computeProviderCases, testComputeProvider, type TestComputeProviderOptions } from './compute-suite';
import { overrideOperation } from './provider-overrides';
import { runCapabilityCases, type CapabilityCaseResult } from './test-capability';
import { testProvider } from './test-provider';

const MISSING_INSTANCE_ID = 'i-0000000000000000f';

/** Suite options over fresh memory providers, each optionally broken by `wrap`; `instances` seeds the latest one. */
function memoryOptions(wrap: (provider: ProviderV1) => ProviderV1 = (provider) => provider): TestComputeProviderOptions {
  let current: MemoryComputeProvider | undefined;
  return {
    create: () => wrap((current = createMemoryComputeProvider())),
    instances: () => {
      if (current === undefined) throw new Error('instances() before create()');
      return Promise.resolve({ running: current.seed('running'), stopped: current.seed('stopped', { labels: { team: 'platform' } }) });
    },
    missingInstanceId: MISSING_INSTANCE_ID,
    settleTimeoutMs: 500,
  };
}

testProvider({ id: 'memory-compute', category: 'cloud', create: () => createMemoryComputeProvider() });

// The suite against a correct implementation: a fresh provider per test, and one
// shared provider that accumulates machines, as a real account would.
testComputeProvider(memoryOptions());
const shared = createMemoryComputeProvider({ instances: [{ state: 'running', name: 'already-there' }] });
testComputeProvider({
  create: () => shared,
  instances: () => Promise.resolve({ running: shared.seed('running'), stopped: shared.seed('stopped') }),
  missingInstanceId: MISSING_INSTANCE_ID,
});

async function runSuite(options: TestComputeProviderOptions): Promise<CapabilityCaseResult[]> {
  return runCapabilityCases({ contract: computeV1, create: options.create, cases: computeProviderCases(options) });
}

async function failedTitles(operation: ComputeOperationName, override: Parameters<typeof overrideOperation>[2]): Promise<string[]> {
  const results = await runSuite(memoryOptions((provider) => overrideOperation(provider, operation, override)));
  return results.filter((result) => result.status === 'failed').map((result) => result.title);
}

describe('the compute suite catches broken providers', () => {
  it('passes the memory provider on every case', async () => {
    const results = await runSuite(memoryOptions());
    expect(results.filter((result) => result.status !== 'passed')).toEqual([]);
    expect(results.length).toBe(2 + computeProviderCases(memoryOptions()).length);
  });

  it('fails a provider whose stop does nothing, or whose machines never finish starting', async () => {
    expect(
      await failedTitles('stopInstance', (request) =>
        Promise.resolve({
          instanceId: (request.input as { instanceId: string }).instanceId,
          previousState: 'running',
          currentState: 'stopping',
        }),
      ),
    ).toEqual(['stops a running instance: stopping (or stopped) at once, then stopped']);
    const stuck = await failedTitles('getInstance', async (request, _context, original) => {
      const instance = (await original(request)) as { state: string };
      return instance.state === 'running' ? { ...instance, state: 'pending' } : instance;
    });
    expect(stuck).toEqual([
      'describes an instance: id, state, the provider’s own state word and labels',
      'starts a stopped instance: pending (or running) at once, then running',
    ]);
  });

  it('fails a provider that refuses to start a running machine', async () => {
    const strict = await failedTitles('startInstance', (request, _context, original) =>
      original(request).then((change) => {
        if ((change as { previousState: string }).previousState === 'running') {
          throw new IntegrationError({ kind: 'conflict', message: 'IncorrectInstanceState' });
        }
        return change;
      }),
    );
    expect(strict).toEqual(['starts a running instance without complaint, leaving it running']);
  });

  it('fails a provider that ignores the state filter, the limit, or hands back the same cursor', async () => {
    const unfiltered = await failedTitles('listInstances', (request, _context, original) =>
      original({ ...request, input: { ...(request.input as object), state: undefined } }),
    );
    expect(unfiltered).toEqual(['lists only instances in the state asked for']);
    const unlimited = await failedTitles('listInstances', (request, _context, original) =>
      original({ ...request, input: { ...(request.input as object), limit: 100 } }),
    );
    expect(unlimited).toEqual(['lists instances one page at a time, each exactly once']);
    const looping = await failedTitles('listInstances', async (request, _context, original) => ({
      ...((await original(request)) as object),
      nextCursor: 'same-cursor-forever',
    }));
    expect(looping).toEqual([
      'lists a running and a stopped instance with their states',
      'lists only instances in the state asked for',
      'lists instances one page at a time, each exactly once',
    ]);
  });

  it('fails a provider that reports missing machines as another kind of error, or leaves out providerState', async () => {
    const misclassifying = await failedTitles('startInstance', (request, _context, original) =>
      original(request).catch((error: unknown) => {
        throw IntegrationError.isInstance(error) ? new IntegrationError({ kind: 'provider', message: error.message }) : error;
      }),
    );
    expect(misclassifying).toEqual(['reports not_found for describing or starting an instance that does not exist']);
    const results = await runSuite(
      memoryOptions((provider) =>
        overrideOperation(provider, 'getInstance', async (request, _context, original) => {
          const instance: Record<string, unknown> = { ...((await original(request)) as object) };
          delete instance['providerState'];
          return instance;
        }),
      ),
    );
    const failed = results.filter((result) => result.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const result of failed) {
      expect(String(result.error)).toMatch(
        /compute\.getInstance \(provider memory-compute\) returned output that breaks the contract: providerState:/,
      );
    }
  });
});

describe('createMemoryComputeProvider', () => {
  it('has a manifest listing every compute operation', () => {
    const { manifest } = createMemoryComputeProvider({ id: 'memory-c' });
    expect(manifest).toMatchObject({ id: 'memory-c', category: 'cloud', authKinds: ['none'] });
    expect(manifest.capabilities).toEqual([{ name: 'compute', version: 1, operations: Object.keys(computeV1.operations) }]);
  });

  it('starts with the instances it is given, with their names and labels, and lists them in id order', async () => {
    const provider = createMemoryComputeProvider({
      instances: [
        { id: 'i-b', state: 'stopped', name: 'worker' },
        { id: 'i-a', state: 'running', name: 'web', labels: { team: 'platform' } },
      ],
    });
    const { instances } = await createCapabilityClient(computeV1, provider).call('listInstances', {});
    expect(instances.map(({ id, name, state, labels }) => ({ id, name, state, labels }))).toEqual([
      { id: 'i-a', name: 'web', state: 'running', labels: { team: 'platform' } },
      { id: 'i-b', name: 'worker', state: 'stopped', labels: {} },
    ]);
  });

  it('refuses to start a machine that is still stopping', async () => {
    const provider = createMemoryComputeProvider();
    const compute = createCapabilityClient(computeV1, provider);
    const instanceId = provider.seed('running');
    expect(await compute.call('stopInstance', { instanceId })).toEqual({ instanceId, previousState: 'running', currentState: 'stopping' });
    await compute.expectError('startInstance', { instanceId }, 'conflict');
    expect((await compute.call('getInstance', { instanceId })).state).toBe('stopped');
    expect(await compute.call('stopInstance', { instanceId }), 'stopping a stopped machine changes nothing').toEqual({
      instanceId,
      previousState: 'stopped',
      currentState: 'stopped',
    });
  });
});
