import { z } from 'zod';
import { defineCapability } from '../capabilities/capability';
import { IntegrationError, type ErrorKind } from '../errors/integration-error';
import { createHub, type Hub } from '../hub/create-hub';
import type { HubOptions } from '../hub/hub-options';
import { createFakeProvider, type FakeProvider, type FakeProviderOptions } from '../testing/fake-provider';

/** A test-only contract with one idempotent read and one non-idempotent write. */
export const testContract = defineCapability({
  name: 'analytics',
  version: 1,
  description: 'Test-only contract for router tests.',
  operations: {
    lookup: {
      description: 'Reads a value.',
      input: z.strictObject({ key: z.string().min(1) }),
      output: z.strictObject({ key: z.string(), servedBy: z.string() }),
      hints: { readOnly: true, destructive: false, idempotent: true },
    },
    record: {
      description: 'Records an event (not idempotent).',
      input: z.strictObject({ event: z.string().min(1) }),
      output: z.strictObject({ id: z.string() }),
      hints: { readOnly: false, destructive: false, idempotent: false },
    },
  },
});

/** A fake provider of the test contract that answers as itself. */
export function fakeProvider(id: string, options: Partial<FakeProviderOptions> = {}): FakeProvider {
  return createFakeProvider({
    id,
    capabilities: [{ name: 'analytics', version: 1, operations: ['lookup', 'record'] }],
    handle: (request) =>
      request.operation === 'lookup' ? { key: (request.input as { key: string }).key, servedBy: id } : { id: `${id}-event` },
    ...options,
  });
}

/** A hub over `providers` that knows the test contract; retries are instant unless the test says otherwise. */
export function testHub(providers: readonly FakeProvider[], options: HubOptions = {}): Hub {
  return createHub({
    ...options,
    providers,
    capabilities: [testContract],
    routing: { validateOutput: true, retry: { minDelayMs: 0, maxDelayMs: 0, jitter: false }, ...options.routing },
  });
}

/** A factory for an error of `kind`, as providers throw them. */
export function errorOf(kind: ErrorKind, message = `simulated ${kind}`): () => IntegrationError {
  return () => new IntegrationError({ kind, message });
}

/** Lookup through the hub's generic execute. */
export function lookup(hub: Hub, key = 'k', options: Parameters<Hub['execute']>[1] = {}) {
  return hub.execute({ capability: 'analytics', operation: 'lookup', input: { key } }, options);
}
