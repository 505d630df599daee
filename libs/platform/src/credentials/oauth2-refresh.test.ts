import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { IntegrationError, redactText } from '@switchyard/core';
import { createMemoryStore } from '../store/memory-store';
import type { Store } from '../store/store';
import { createCredentialManager, type CredentialManager } from './credential-manager';
import type { OAuth2RefreshFunction } from './oauth2-refresh';

const KEY = { id: 'k1', secret: randomBytes(32).toString('base64') };
const START = Date.parse('2026-01-01T00:00:00Z');
const REFRESH_TOKEN = 'refresh-planted-0123456789abcdef';

async function setUp(now: { value: number }, store?: Store): Promise<{ store: Store; manager: CredentialManager }> {
  const shared = store ?? createMemoryStore();
  if (store === undefined) await shared.integrations.create({ id: 'hubspot-acme', providerId: 'hubspot', name: 'HubSpot' });
  return { store: shared, manager: createCredentialManager({ store: shared, keys: { current: KEY }, clock: () => now.value }) };
}

/** A token endpoint that issues numbered tokens and counts its calls. */
function tokenEndpoint(options: { rotate?: boolean; delayMs?: number } = {}) {
  let issued = 0;
  const refresh = vi.fn<OAuth2RefreshFunction>(async () => {
    issued += 1;
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5));
    return {
      accessToken: `access-${issued}-abcdef`,
      refreshToken: options.rotate === true ? `refresh-${issued}-abcdef` : undefined,
      expiresInSeconds: 3600,
    };
  });
  return refresh;
}

describe('getAccessToken', () => {
  it('returns the stored token while it is fresh and refreshes 60 s before expiry by default', async () => {
    const now = { value: START };
    const { manager } = await setUp(now);
    await manager.setOAuth2Tokens('hubspot-acme', {
      accessToken: 'access-0-abcdef',
      refreshToken: REFRESH_TOKEN,
      expiresAt: START + 120_000,
    });
    const refresh = tokenEndpoint();
    expect(await manager.getAccessToken('hubspot-acme', refresh)).toBe('access-0-abcdef');
    now.value = START + 59_999;
    expect(await manager.getAccessToken('hubspot-acme', refresh)).toBe('access-0-abcdef');
    now.value = START + 60_000;
    expect(await manager.getAccessToken('hubspot-acme', refresh)).toBe('access-1-abcdef');
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith(REFRESH_TOKEN);
  });

  it('honours a configured skew', async () => {
    const now = { value: START };
    const store = createMemoryStore();
    await store.integrations.create({ id: 'hubspot-acme', providerId: 'hubspot', name: 'HubSpot' });
    const manager = createCredentialManager({ store, keys: { current: KEY }, clock: () => now.value, refreshSkewMs: 300_000 });
    await manager.setOAuth2Tokens('hubspot-acme', {
      accessToken: 'access-0-abcdef',
      refreshToken: REFRESH_TOKEN,
      expiresAt: START + 299_000,
    });
    expect(await manager.getAccessToken('hubspot-acme', tokenEndpoint())).toBe('access-1-abcdef');
  });

  it('keeps the current tokens in the vault’s secrets, a refreshed token replacing the one before it', async () => {
    const now = { value: START };
    const { manager } = await setUp(now);
    await manager.setOAuth2Tokens('hubspot-acme', { accessToken: 'access-0-abcdef', refreshToken: REFRESH_TOKEN, expiresAt: START - 1 });
    expect(manager.secrets.size).toBe(2);
    expect(redactText(`access-0-abcdef ${REFRESH_TOKEN}`, manager.secrets)).toBe('[REDACTED] [REDACTED]');
    await manager.getAccessToken('hubspot-acme', tokenEndpoint({ rotate: true }));
    expect(manager.secrets.size).toBe(2);
    expect(redactText('access-1-abcdef refresh-1-abcdef', manager.secrets)).toBe('[REDACTED] [REDACTED]');
    expect(redactText(`access-0-abcdef ${REFRESH_TOKEN}`, manager.secrets)).toBe(`access-0-abcdef ${REFRESH_TOKEN}`);
    await manager.delete('hubspot-acme', 'oauth2');
    expect(manager.secrets.size).toBe(0);
  });

  it('refreshes once for 50 concurrent calls with an expired token', async () => {
    const now = { value: START };
    const { manager } = await setUp(now);
    await manager.setOAuth2Tokens('hubspot-acme', { accessToken: 'access-0-abcdef', refreshToken: REFRESH_TOKEN, expiresAt: START - 1 });
    const refresh = tokenEndpoint({ delayMs: 20 });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => manager.getAccessToken('hubspot-acme', refresh)));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(new Set(tokens)).toEqual(new Set(['access-1-abcdef']));
  });

  it('keeps the refresh token when the provider sends none, and stores a rotated one', async () => {
    const now = { value: START };
    const { manager } = await setUp(now);
    await manager.setOAuth2Tokens('hubspot-acme', { refreshToken: REFRESH_TOKEN });
    const keeping = tokenEndpoint();
    await manager.getAccessToken('hubspot-acme', keeping);
    now.value += 3_600_000;
    await manager.getAccessToken('hubspot-acme', keeping);
    expect(keeping.mock.calls).toEqual([[REFRESH_TOKEN], [REFRESH_TOKEN]]);
    const rotating = tokenEndpoint({ rotate: true });
    now.value += 3_600_000;
    await manager.getAccessToken('hubspot-acme', rotating);
    now.value += 3_600_000;
    await manager.getAccessToken('hubspot-acme', rotating);
    expect(rotating.mock.calls).toEqual([[REFRESH_TOKEN], ['refresh-1-abcdef']]);
  });

  it('refreshes a token the provider rejected once invalidate() is called', async () => {
    const now = { value: START };
    const { manager } = await setUp(now);
    await manager.setOAuth2Tokens('hubspot-acme', {
      accessToken: 'access-0-abcdef',
      refreshToken: REFRESH_TOKEN,
      expiresAt: START + 3_600_000,
    });
    const refresh = tokenEndpoint();
    expect(await manager.getAccessToken('hubspot-acme', refresh)).toBe('access-0-abcdef');
    manager.invalidate('hubspot-acme'); // e.g. after a 401
    expect(await manager.getAccessToken('hubspot-acme', refresh)).toBe('access-1-abcdef');
    expect(await manager.getAccessToken('hubspot-acme', refresh)).toBe('access-1-abcdef');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('uses the token another process stored when its compare-and-swap loses, without refreshing again', async () => {
    const now = { value: START };
    const { store, manager: first } = await setUp(now);
    const { manager: second } = await setUp(now, store);
    await first.setOAuth2Tokens('hubspot-acme', { accessToken: 'access-0-abcdef', refreshToken: REFRESH_TOKEN, expiresAt: START - 1 });
    let release: () => void = () => undefined;
    const slowRefresh = vi.fn<OAuth2RefreshFunction>(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { accessToken: 'access-slow-abcdef', expiresInSeconds: 3600 };
    });
    const slow = first.getAccessToken('hubspot-acme', slowRefresh);
    await vi.waitFor(() => expect(slowRefresh).toHaveBeenCalledTimes(1));
    const fast = tokenEndpoint();
    expect(await second.getAccessToken('hubspot-acme', fast)).toBe('access-1-abcdef');
    release();
    expect(await slow).toBe('access-1-abcdef');
    expect(await first.getAccessToken('hubspot-acme', slowRefresh)).toBe('access-1-abcdef');
    expect(slowRefresh).toHaveBeenCalledTimes(1);
    expect(fast).toHaveBeenCalledTimes(1);
  });

  it('uses the other process’s token when its own refresh fails after losing a rotating-token race', async () => {
    const now = { value: START };
    const { store, manager: first } = await setUp(now);
    const { manager: second } = await setUp(now, store);
    await first.setOAuth2Tokens('hubspot-acme', { refreshToken: REFRESH_TOKEN });
    const rejecting = vi.fn<OAuth2RefreshFunction>(async () => {
      await second.getAccessToken('hubspot-acme', tokenEndpoint({ rotate: true }));
      throw new Error('invalid_grant: refresh token already used');
    });
    expect(await first.getAccessToken('hubspot-acme', rejecting)).toBe('access-1-abcdef');
  });

  it('fails with auth, without the secret, when there is nothing to refresh with or the refresh fails', async () => {
    const now = { value: START };
    const { manager } = await setUp(now);
    const noTokens = await manager.getAccessToken('hubspot-acme', tokenEndpoint()).catch((error: unknown) => error);
    expect(IntegrationError.isInstance(noTokens) && noTokens.kind).toBe('auth');
    await manager.setOAuth2Tokens('hubspot-acme', { accessToken: 'access-0-abcdef', expiresAt: START - 1 });
    const noRefreshToken = await manager.getAccessToken('hubspot-acme', tokenEndpoint()).catch((error: unknown) => error);
    expect(IntegrationError.isInstance(noRefreshToken) && noRefreshToken.kind).toBe('auth');
    await manager.setOAuth2Tokens('hubspot-acme', { refreshToken: REFRESH_TOKEN });
    const failing = await manager
      .getAccessToken('hubspot-acme', (refreshToken) =>
        Promise.reject(new Error(`POST /token refresh_token=${refreshToken} rejected for ${refreshToken}`)),
      )
      .catch((error: unknown) => error);
    expect(IntegrationError.isInstance(failing)).toBe(true);
    expect(`${String(failing)} ${inspect(failing, { depth: 8 })} ${JSON.stringify(failing)}`).not.toContain(REFRESH_TOKEN);
  });
});
