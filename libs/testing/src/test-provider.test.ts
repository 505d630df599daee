import { IntegrationError, type ProviderV1 } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { providerContractChecks, testProvider, type TestProviderOptions } from './index';

function createFake(overrides: Partial<ProviderV1['manifest']> = {}): ProviderV1 {
  return {
    specificationVersion: 'v1',
    manifest: Object.freeze({
      id: 'fake',
      name: 'Fake',
      category: 'communication' as const,
      capabilities: Object.freeze([]),
      authKinds: Object.freeze(['none'] as const),
      docsUrl: 'https://fake.example/docs',
      ...overrides,
    }),
    execute: (request) => Promise.reject(new IntegrationError({ kind: 'unsupported', message: `no ${request.operation}` })),
  };
}

const wellBehaved: TestProviderOptions = {
  id: 'fake',
  category: 'communication',
  create: () => createFake(),
};

// The suite itself, run against a well-behaved fake: every check must pass.
testProvider(wellBehaved);

async function failingChecks(options: TestProviderOptions): Promise<string[]> {
  const failing: string[] = [];
  for (const check of providerContractChecks) {
    try {
      await check.run(options);
    } catch {
      failing.push(check.title);
    }
  }
  return failing;
}

describe('the provider contract catches broken providers', () => {
  it('passes a well-behaved provider', async () => {
    expect(await failingChecks(wellBehaved)).toEqual([]);
  });

  it('fails a provider with an invalid manifest', async () => {
    const broken = { ...wellBehaved, create: () => createFake({ docsUrl: 'not a url' }) };
    expect(await failingChecks(broken)).toEqual(['returns a specification v1 provider with a valid manifest']);
  });

  it('fails a provider that reports another id or category', async () => {
    expect(await failingChecks({ ...wellBehaved, id: 'other' })).toEqual(['reports the expected id and category']);
    expect(await failingChecks({ ...wellBehaved, category: 'cloud' })).toEqual(['reports the expected id and category']);
  });

  it('fails a provider whose manifest can be changed', async () => {
    const mutable = {
      ...wellBehaved,
      create: (): ProviderV1 => ({ ...createFake(), manifest: { ...createFake().manifest } }),
    };
    expect(await failingChecks(mutable)).toEqual(['keeps its manifest immutable so a host cannot change what the router sees']);
  });

  it('fails a factory that hands out one shared object', async () => {
    const shared = createFake();
    expect(await failingChecks({ ...wellBehaved, create: () => shared })).toEqual(['gives every call its own provider object']);
  });

  it('fails a provider that answers an unknown operation', async () => {
    const sloppy = {
      ...wellBehaved,
      create: (): ProviderV1 => ({ ...createFake(), execute: () => Promise.resolve({}) }),
    };
    expect(await failingChecks(sloppy)).toEqual(['rejects an operation it does not offer with an unsupported IntegrationError']);
  });
});
