import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { CAPABILITY_NAMES } from './capability';
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

  it('finds nothing for unknown names, other versions and reserved names without a contract', () => {
    expect(findCapabilityContract('storage', 2)).toBeUndefined();
    expect(findCapabilityContract('teleport', 1)).toBeUndefined();
    for (const reserved of ['analytics', 'upload', 'content', 'comments', 'live']) {
      expect(CAPABILITY_NAMES).toContain(reserved);
      expect(findCapabilityContract(reserved, 1)).toBeUndefined();
    }
  });

  it('keeps contracts and their operations frozen', () => {
    for (const contract of capabilityContracts) {
      expect(Object.isFrozen(contract), contract.name).toBe(true);
      expect(Object.isFrozen(contract.operations), contract.name).toBe(true);
    }
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
