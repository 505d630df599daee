import { describe, expect, it } from 'vitest';
import { storageV1 } from '../capabilities/storage';
import { silentLogger } from '../utils/logger';
import { createCapabilityDispatcher, type OperationHandler } from './capability-dispatcher';

const context = { signal: new AbortController().signal, attempt: 1, idempotencyKey: undefined, deadline: undefined, logger: silentLogger };

describe('createCapabilityDispatcher', () => {
  const calls: unknown[] = [];
  const headObject: OperationHandler = (input) => {
    calls.push(input);
    return Promise.resolve({ ok: true });
  };
  const dispatcher = createCapabilityDispatcher('acme', [{ contract: storageV1, handlers: { headObject } }]);

  it('lists each contract with the operations that have handlers, for the manifest', () => {
    expect(dispatcher.capabilities).toEqual([{ name: 'storage', version: 1, operations: ['headObject'] }]);
  });

  it('runs the handler with the parsed input', async () => {
    await expect(
      dispatcher.execute({ capability: 'storage', operation: 'headObject', input: { bucket: 'reports', key: 'q1.csv' } }, context),
    ).resolves.toEqual({ ok: true });
    expect(calls).toEqual([{ bucket: 'reports', key: 'q1.csv' }]);
  });

  it('answers unsupported for operations and capabilities it does not serve, and for inherited names', async () => {
    for (const [capability, operation] of [
      ['storage', 'putObject'],
      ['messaging', 'sendMessage'],
      ['storage', 'toString'],
    ] as const) {
      await expect(dispatcher.execute({ capability, operation, input: {} }, context)).rejects.toMatchObject({
        kind: 'unsupported',
        message: `acme does not offer ${capability}.${operation}`,
      });
    }
  });

  it('refuses bad input with validation naming the field, before the handler runs', async () => {
    const before = calls.length;
    await expect(
      dispatcher.execute({ capability: 'storage', operation: 'headObject', input: { bucket: 'Bad Bucket', key: '' } }, context),
    ).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringMatching(/^acme: invalid input for storage\.headObject: bucket: .*; key: must not be empty$/) as unknown,
    });
    expect(calls.length).toBe(before);
  });
});
