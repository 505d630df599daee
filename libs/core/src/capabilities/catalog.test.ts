import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineCapability } from './capability';
import { capabilityContracts, findCapabilityContract } from './catalog';
import { computeV1 } from './compute';
import { functionsV1 } from './functions';
import { issuesV1 } from './issues';
import { messagingV1 } from './messaging';
import { repositoriesV1 } from './repositories';
import { storageV1 } from './storage';

const everyOperation = capabilityContracts.flatMap((contract) =>
  Object.entries(contract.operations).map(([name, operation]) => ({ id: `${contract.name}.${name}`, operation })),
);

describe('capability catalog', () => {
  it('holds storage, messaging, issues, functions, compute and repositories v1, each once', () => {
    expect(capabilityContracts).toEqual([storageV1, messagingV1, issuesV1, functionsV1, computeV1, repositoriesV1]);
    const identities = capabilityContracts.map((contract) => `${contract.name}@${contract.version}`);
    expect(new Set(identities).size).toBe(identities.length);
    expect(Object.isFrozen(capabilityContracts)).toBe(true);
  });

  it('finds a contract by name and version', () => {
    expect(findCapabilityContract('storage', 1)).toBe(storageV1);
    expect(findCapabilityContract('messaging', 1)).toBe(messagingV1);
    expect(findCapabilityContract('issues', 1)).toBe(issuesV1);
    expect(findCapabilityContract('functions', 1)).toBe(functionsV1);
    expect(findCapabilityContract('compute', 1)).toBe(computeV1);
    expect(findCapabilityContract('repositories', 1)).toBe(repositoriesV1);
  });

  it('finds nothing for names core does not define and versions that do not exist', () => {
    expect(findCapabilityContract('storage', 2)).toBeUndefined();
    expect(findCapabilityContract('teleport', 1)).toBeUndefined();
    expect(findCapabilityContract('analytics', 1)).toBeUndefined();
  });

  it('keeps contracts and their operations frozen', () => {
    for (const contract of capabilityContracts) {
      expect(Object.isFrozen(contract), contract.name).toBe(true);
      expect(Object.isFrozen(contract.operations), contract.name).toBe(true);
    }
  });
});

describe('defineCapability', () => {
  const geocode = {
    description: 'Finds the coordinates of an address.',
    input: z.strictObject({ address: z.string() }),
    output: z.strictObject({ latitude: z.number(), longitude: z.number() }),
    hints: { readOnly: true, destructive: false, idempotent: true },
  };

  it('accepts any kebab-case name and freezes the contract', () => {
    for (const name of ['geocoding', 'object-storage', 'web3', 'a-b-c']) {
      const contract = defineCapability({ name, version: 1, description: 'Test.', operations: { geocode } });
      expect(contract.name).toBe(name);
      expect(Object.isFrozen(contract)).toBe(true);
      expect(Object.isFrozen(contract.operations)).toBe(true);
    }
  });

  it.each([
    ['a name that is not kebab-case', { name: 'Geo_Coding', version: 1 }, /name: must be lowercase kebab-case.*"Geo_Coding"/],
    ['an empty name', { name: '', version: 1 }, /name: must be lowercase kebab-case/],
    ['a trailing hyphen', { name: 'geocoding-', version: 1 }, /name: must be lowercase kebab-case/],
    ['a version below 1', { name: 'geocoding', version: 0 }, /version: must be a whole number >= 1, got 0/],
    ['a fractional version', { name: 'geocoding', version: 1.5 }, /version: must be a whole number >= 1/],
  ])('throws a validation error for %s', (_case, identity, message) => {
    const define = () => defineCapability({ ...identity, description: 'Test.', operations: { geocode } });
    expect(define).toThrow(message);
    expect(define).toThrow(expect.objectContaining({ kind: 'validation' }) as Error);
  });

  it('names bad operations: no operations, a name that is not camelCase, a missing schema', () => {
    expect(() => defineCapability({ name: 'geocoding', version: 1, description: 'Test.', operations: {} })).toThrow(
      /operations: must define at least one operation/,
    );
    const broken = { ...geocode, output: undefined } as unknown as typeof geocode;
    expect(() => defineCapability({ name: 'geocoding', version: 1, description: 'Test.', operations: { 'geo-code': broken } })).toThrow(
      /operations\.geo-code: must be a camelCase name; operations\.geo-code\.output: must be a zod schema/,
    );
  });
});

describe.each(everyOperation)('$id', ({ operation }) => {
  it('has an input that converts to a JSON Schema object, for agent tools', () => {
    for (const io of ['input', 'output'] as const) {
      const schema = z.toJSONSchema(operation.input, { io });
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
    }
  });

  it('has an output that converts to a JSON Schema', () => {
    expect(z.toJSONSchema(operation.output).type).toBe('object');
  });

  it('has sane hints: nothing read-only is destructive, everything read-only is idempotent', () => {
    const { readOnly, destructive, idempotent } = operation.hints;
    expect(readOnly && destructive).toBe(false);
    if (readOnly) expect(idempotent).toBe(true);
  });

  it('has a description an agent can act on', () => {
    expect(operation.description.length).toBeGreaterThan(20);
  });
});
