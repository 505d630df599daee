import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHub, IntegrationError, type HubEvents, type OAuth2RefreshFunction } from '@switchyard/core';
import { createFakeProvider } from '@switchyard/core/testing';
import { createMemoryStore } from '../store/memory-store';
import { createCredentialManager } from './credential-manager';

const keys = { current: { id: 'k1', secret: randomBytes(32).toString('base64') } };
const PLANTED_REFRESH_TOKEN = 'refresh-planted-7f3a9c1e5b';
const PLANTED_API_KEY = 'hubspot-planted-api-key-2c4e6a';
const request = { capability: 'storage', operation: 'headObject', input: { bucket: 'reports', key: 'q1.csv' } } as const;
const capabilities = [{ name: 'storage', version: 1, operations: ['headObject'] }] as const;

/** A vault with one OAuth2 integration of provider "hubspot" whose access token has expired, and a hub that uses it. */
async function setUp(refresh: OAuth2RefreshFunction) {
  const store = createMemoryStore();
  await store.integrations.create({ id: 'hubspot-acme', providerId: 'hubspot', name: 'HubSpot (acme)' });
  await store.integrations.create({ id: 'salesforce-acme', providerId: 'salesforce', name: 'Salesforce (acme)' });
  const writer = createCredentialManager({ store, keys });
  await writer.setOAuth2Tokens('hubspot-acme', {
    accessToken: 'access-expired-token',
    refreshToken: PLANTED_REFRESH_TOKEN,
    expiresAt: Date.now() - 1,
  });
  // A fresh manager, as a host starting up would create: it learns which integrations have secrets from the store.
  const credentials = createCredentialManager({ store, keys });
  await credentials.load();
  const events: HubEvents['credential.refresh'][] = [];
  const tokensSeen: string[] = [];
  const hubspot = createFakeProvider({
    id: 'hubspot',
    capabilities,
    handle: async (call) => {
      tokensSeen.push(await credentials.getAccessToken('hubspot-acme', refresh));
      const { bucket, key } = call.input as { bucket: string; key: string };
      return { bucket, key, size: 0, etag: 'e', contentType: 'text/plain', lastModified: new Date(0).toISOString(), metadata: {} };
    },
  });
  const salesforce = createFakeProvider({ id: 'salesforce', capabilities });
  const hub = createHub({ providers: [hubspot, salesforce], credentials, events: { 'credential.refresh': (event) => events.push(event) } });
  return { hub, events, tokensSeen, salesforce };
}

describe('hub with the credential vault', () => {
  it('routes only to providers with secrets in the vault, looked up through their integrations', async () => {
    const { hub, salesforce } = await setUp(() => Promise.resolve({ accessToken: 'access-new-token', expiresInSeconds: 3600 }));
    expect(hub.explain(request).candidates).toContainEqual(
      expect.objectContaining({ provider: 'salesforce', eligible: false, reason: 'no credentials in the vault' }),
    );
    expect((await hub.execute(request)).provider).toBe('hubspot');
    expect(salesforce.calls).toHaveLength(0);
    await hub.close();
  });

  it('emits one credential.refresh event when 50 concurrent calls find the token expired', async () => {
    let refreshes = 0;
    const { hub, events, tokensSeen } = await setUp(async () => {
      refreshes += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { accessToken: 'access-refreshed-token', expiresInSeconds: 3600 };
    });
    await Promise.all(Array.from({ length: 50 }, () => hub.execute(request)));
    expect(refreshes).toBe(1);
    expect(new Set(tokensSeen)).toEqual(new Set(['access-refreshed-token']));
    expect(events.map(({ integrationId, outcome, error }) => ({ integrationId, outcome, error }))).toEqual([
      { integrationId: 'hubspot-acme', outcome: 'refreshed', error: undefined },
    ]);
    expect(events[0]?.durationMs).toBeGreaterThanOrEqual(0);
    await hub.close();
  });

  it('reports a failed refresh as an event with the error kind and no secret', async () => {
    // A token endpoint's invalid_grant is an auth failure: not retried, so exactly one refresh and one event.
    const { hub, events } = await setUp(() =>
      Promise.reject(new IntegrationError({ kind: 'auth', message: `invalid_grant: ${PLANTED_REFRESH_TOKEN} was revoked` })),
    );
    await expect(hub.execute(request)).rejects.toThrow();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ integrationId: 'hubspot-acme', outcome: 'failed', error: { kind: 'auth' } });
    expect(JSON.stringify(events)).not.toContain(PLANTED_REFRESH_TOKEN);
    await hub.close();
  });

  it('redacts what the vault opened from what the hub hands out, through credentials.secrets', async () => {
    const store = createMemoryStore();
    await store.integrations.create({ id: 'hubspot-acme', providerId: 'hubspot', name: 'HubSpot (acme)' });
    const credentials = createCredentialManager({ store, keys });
    await credentials.set('hubspot-acme', 'apiKey', PLANTED_API_KEY);
    // A provider that knows no secrets of its own quotes the key it got from the vault.
    const echoing = () =>
      createFakeProvider({
        id: 'hubspot',
        capabilities,
        handle: async () => {
          const apiKey = await credentials.get('hubspot-acme', 'apiKey');
          throw new IntegrationError({ kind: 'auth', message: `the API refused ${apiKey}`, isRetryable: false });
        },
      });
    const logged: unknown[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (fields: unknown) => logged.push(fields),
      error: (fields: unknown) => logged.push(fields),
    };
    const hub = createHub({ providers: [echoing()], credentials, logger });
    const error = (await hub.execute(request).catch((caught: unknown) => caught)) as IntegrationError;
    expect(error.kind).toBe('auth');
    expect(`${error.message} ${JSON.stringify(error)} ${JSON.stringify(logged)}`).not.toContain(PLANTED_API_KEY);
    await hub.close();
    // Nothing is process-wide: a hub without the vault does not know the key.
    const other = createHub({ providers: [echoing()] });
    expect(JSON.stringify(await other.execute(request).catch((caught: unknown) => caught))).toContain(PLANTED_API_KEY);
    await other.close();
  });
});
