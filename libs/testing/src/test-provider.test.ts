import type { ProviderV1 } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { providerContractChecks, testProvider, type TestProviderOptions } from './index';

function createFake(overrides: Partial<ProviderV1['manifest']> = {}): ProviderV1 {
  return {
    specificationVersion: 'v1',
    manifest: Object.freeze({
      id: 'fake',
      name: 'Fake',
      category: 'communication' as const,
      capabilities: Object.freeze(['messaging']),
      docsUrl: 'https://fake.example/docs',
      ...overrides,
    }),
  };
}

const wellBehaved: TestProviderOptions = {
  id: 'fake',
  category: 'communication',
  create: () => createFake(),
};

// The suite itself, run against a well-behaved fake: every check must pass.
testProvider(wellBehaved);

function failingChecks(options: TestProviderOptions): string[] {
  return providerContractChecks
    .filter((check) => {
      try {
        check.run(options);
        return false;
      } catch {
        return true;
      }
    })
    .map((check) => check.title);
}

describe('the provider contract catches broken providers', () => {
  it('passes a well-behaved provider', () => {
    expect(failingChecks(wellBehaved)).toEqual([]);
  });

  it('fails a provider with an invalid manifest', () => {
    const broken = { ...wellBehaved, create: () => createFake({ docsUrl: 'not a url' }) };
    expect(failingChecks(broken)).toEqual([
      'returns a specification v1 provider with a valid manifest',
    ]);
  });

  it('fails a provider that reports another id or category', () => {
    expect(failingChecks({ ...wellBehaved, id: 'other' })).toEqual([
      'reports the expected id and category',
    ]);
    expect(failingChecks({ ...wellBehaved, category: 'cloud' })).toEqual([
      'reports the expected id and category',
    ]);
  });

  it('fails a provider whose manifest can be changed', () => {
    const mutable = {
      ...wellBehaved,
      create: (): ProviderV1 => ({ ...createFake(), manifest: { ...createFake().manifest } }),
    };
    expect(failingChecks(mutable)).toEqual([
      'keeps its manifest immutable so a host cannot change what the router sees',
    ]);
  });

  it('fails a factory that hands out one shared object', () => {
    const shared = createFake();
    expect(failingChecks({ ...wellBehaved, create: () => shared })).toEqual([
      'gives every call its own provider object',
    ]);
  });
});
