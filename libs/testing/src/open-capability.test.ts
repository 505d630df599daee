// A host defines its own capability, and the hub routes it like core's: through the public API only.
import { createHub, defineCapability, defineProvider, IntegrationError, type Hub, type HubOptions } from '@switchyard/core';
import { createFakeProvider, integrationErrorOf } from '@switchyard/core/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';

const coordinatesSchema = z.strictObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

const geocodingV1 = defineCapability({
  name: 'geocoding',
  version: 1,
  description: 'Turns addresses into coordinates and back.',
  operations: {
    geocode: {
      description: 'Finds the coordinates of a postal address.',
      input: z.strictObject({ address: z.string().min(1), country: z.string().length(2).optional() }),
      output: z.strictObject({ ...coordinatesSchema.shape, formattedAddress: z.string() }),
      hints: { readOnly: true, destructive: false, idempotent: true },
    },
    reverseGeocode: {
      description: 'Finds the postal address nearest to a pair of coordinates.',
      input: coordinatesSchema,
      output: z.strictObject({ formattedAddress: z.string() }),
      hints: { readOnly: true, destructive: false, idempotent: true },
    },
  },
});

/** An in-memory geocoder that answers as itself, and can be told to fail like a broken API. */
function createGeocoder(id: string) {
  const calls: string[] = [];
  let failure: IntegrationError | undefined;
  const provider = defineProvider({
    id,
    name: `Geocoder ${id}`,
    category: 'analytics',
    docsUrl: `https://${id}.example/docs`,
    authKinds: ['api-key'],
    capabilities: [
      {
        contract: geocodingV1,
        handlers: {
          geocode: (input: { address: string }) => {
            calls.push(`geocode ${input.address}`);
            if (failure !== undefined) return Promise.reject(failure);
            return Promise.resolve({ latitude: 52.52, longitude: 13.405, formattedAddress: `${input.address} (by ${id})` });
          },
          reverseGeocode: (input: { latitude: number; longitude: number }) => {
            calls.push(`reverseGeocode ${input.latitude},${input.longitude}`);
            return Promise.resolve({ formattedAddress: `Somewhere near ${input.latitude},${input.longitude} (by ${id})` });
          },
        },
      },
    ],
  });
  return {
    provider,
    calls,
    fail: (error: IntegrationError) => (failure = error),
  };
}

function geocodingHub(options: HubOptions = {}): {
  hub: Hub;
  primary: ReturnType<typeof createGeocoder>;
  backup: ReturnType<typeof createGeocoder>;
} {
  const primary = createGeocoder('primary');
  const backup = createGeocoder('backup');
  const hub = createHub({
    ...options,
    providers: [primary.provider, backup.provider],
    routing: { retry: { retries: 0 }, providers: { primary: { weight: 5 }, backup: { weight: 1 } }, ...options.routing },
  });
  return { hub, primary, backup };
}

describe('a capability the host defines (geocoding)', () => {
  it('routes to the provider the weights pick', async () => {
    const { hub, primary, backup } = geocodingHub();
    const result = await hub.execute({ capability: 'geocoding', operation: 'geocode', input: { address: '1 Main St' } });
    expect(result).toMatchObject({ provider: 'primary', value: { formattedAddress: '1 Main St (by primary)' }, failedAttempts: [] });

    const { hub: reweighted } = geocodingHub({ routing: { providers: { primary: { weight: 1 }, backup: { weight: 5 } } } });
    expect((await reweighted.execute({ capability: 'geocoding', operation: 'geocode', input: { address: 'x' } })).provider).toBe('backup');
    expect(primary.calls).toEqual(['geocode 1 Main St']);
    expect(backup.calls).toEqual([]);
  });

  it('fails over to the second provider when the first throws a retryable provider error', async () => {
    const { hub, primary, backup } = geocodingHub();
    primary.fail(new IntegrationError({ kind: 'provider', message: 'upstream 503', isRetryable: true, statusCode: 503 }));
    const result = await hub.execute({ capability: 'geocoding', operation: 'geocode', input: { address: '1 Main St' } });
    expect(result.provider).toBe('backup');
    expect(result.value).toEqual({ latitude: 52.52, longitude: 13.405, formattedAddress: '1 Main St (by backup)' });
    expect(result.failedAttempts).toMatchObject([{ provider: 'primary', kind: 'provider' }]);
    expect(primary.calls).toHaveLength(1);
    expect(backup.calls).toHaveLength(1);
  });

  it('rejects bad input with a validation error before any provider is called', async () => {
    const { hub, primary, backup } = geocodingHub();
    const error = await integrationErrorOf(
      hub.execute({ capability: 'geocoding', operation: 'geocode', input: { address: '', country: 'DEU' } }),
    );
    expect(error.kind).toBe('validation');
    expect(error.message).toMatch(/^Invalid input for geocoding\.geocode: address: .*; country: /);
    expect([...primary.calls, ...backup.calls]).toEqual([]);
  });

  it('explains the route with both providers as candidates, best first', () => {
    const { hub } = geocodingHub();
    const explanation = hub.explain({ capability: 'geocoding', operation: 'geocode' });
    expect(explanation).toMatchObject({ capability: 'geocoding', operation: 'geocode' });
    expect(explanation.candidates.map((candidate) => candidate.provider)).toEqual(['primary', 'backup']);
  });

  it('lists its operations as tools with JSON Schema, and a tool call routes like any other', async () => {
    const { hub, backup } = geocodingHub();
    const tools = hub.tools.list().filter((tool) => tool.name.startsWith('geocoding_'));
    expect(tools.map((tool) => tool.name)).toEqual(['geocoding_geocode', 'geocoding_reverse_geocode']);
    expect(tools[0]).toMatchObject({
      description: expect.stringContaining(
        'Finds the coordinates of a postal address. (geocoding v1; routed across primary, backup',
      ) as string,
      inputSchema: { type: 'object', required: ['address'], properties: { address: { type: 'string', minLength: 1 } } },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      target: { kind: 'capability', capability: 'geocoding', operation: 'geocode', providers: ['primary', 'backup'] },
    });
    expect(await hub.tools.callTool('geocoding_reverse_geocode', { latitude: 1, longitude: 2 }, { prefer: ['backup'] })).toEqual({
      formattedAddress: 'Somewhere near 1,2 (by backup)',
    });
    expect(backup.calls).toEqual(['reverseGeocode 1,2']);
    expect((await integrationErrorOf(hub.tools.callTool('geocoding_reverse_geocode', { latitude: 91, longitude: 0 }))).kind).toBe(
      'validation',
    );
  });

  it('gives typed access through hub.capability(contract)', async () => {
    const { hub } = geocodingHub();
    const geocoding = hub.capability(geocodingV1);
    const place = await geocoding.geocode({ address: '1 Main St', country: 'DE' });
    expectTypeOf(place).toEqualTypeOf<{ latitude: number; longitude: number; formattedAddress: string }>();
    expect(place.formattedAddress).toBe('1 Main St (by primary)');
    // @ts-expect-error -- latitude must be a number
    const wrong = geocoding.reverseGeocode({ latitude: '52.5', longitude: 13.4 });
    expect((await integrationErrorOf(wrong)).kind).toBe('validation');
  });
});

describe('registering providers of a capability the hub cannot route', () => {
  it('refuses a provider that lists a capability without carrying its contract, naming it', () => {
    const hub = createHub();
    const stranger = createFakeProvider({ id: 'stranger', capabilities: [{ name: 'geocoding', version: 1, operations: ['geocode'] }] });
    const register = () => hub.register(stranger);
    expect(register).toThrow(
      /Invalid provider: manifest\.capabilities\.0: geocoding v1 has no contract: the hub knows none and the provider carries none/,
    );
    expect(register).toThrow(expect.objectContaining({ kind: 'validation' }) as Error);
    expect(hub.registry.list()).toEqual([]);
  });

  it('refuses a second provider whose geocoding v1 contract is a different one', () => {
    const { hub } = geocodingHub();
    const lookalike = defineCapability({ ...geocodingV1 });
    const impostor = defineProvider({
      id: 'impostor',
      name: 'Impostor',
      category: 'analytics',
      docsUrl: 'https://impostor.example/docs',
      authKinds: ['none'],
      capabilities: [
        { contract: lookalike, handlers: { geocode: () => Promise.resolve({ latitude: 0, longitude: 0, formattedAddress: '' }) } },
      ],
    });
    expect(() => hub.register(impostor)).toThrow(
      expect.objectContaining({
        kind: 'conflict',
        message: expect.stringContaining(
          'Provider "impostor" declares geocoding v1, but the hub already holds a different geocoding v1 contract',
        ) as string,
      }) as Error,
    );
    expect(hub.registry.get('impostor')).toBeUndefined();
  });
});
