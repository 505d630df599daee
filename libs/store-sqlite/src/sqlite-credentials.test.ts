import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OAuth2RefreshFunction } from '@switchyard/core';
import { createCredentialManager } from '@switchyard/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './sqlite-store';

const folder = mkdtempSync(join(tmpdir(), 'switchyard-sqlite-vault-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const keys = { current: { id: 'k1', secret: randomBytes(32).toString('base64') } };

describe('credential manager on SQLite, two stores on one file', () => {
  it('refreshes once per process and keeps the compare-and-swap winner’s token in both', async () => {
    const path = join(folder, 'vault.db');
    const now = { value: Date.parse('2026-01-01T00:00:00Z') };
    const leftStore = createSqliteStore({ path });
    const rightStore = createSqliteStore({ path });
    try {
      await leftStore.integrations.create({ id: 'hubspot-acme', providerId: 'hubspot', name: 'HubSpot' });
      const [first, second] = [leftStore, rightStore].map((store) => createCredentialManager({ store, keys, clock: () => now.value }));
      if (first === undefined || second === undefined) throw new Error('set-up failed');
      await first.setOAuth2Tokens('hubspot-acme', { refreshToken: 'refresh-initial-token' });
      let arrived = 0;
      let release: () => void = () => undefined;
      const bothCalled = new Promise<void>((resolve) => (release = resolve));
      const calls: string[] = [];
      const endpoint =
        (name: string): OAuth2RefreshFunction =>
        async (refreshToken) => {
          calls.push(refreshToken);
          if ((arrived += 1) === 2) release();
          await bothCalled;
          return { accessToken: `access-${name}-${randomUUID()}`, expiresInSeconds: 3600 };
        };
      const tokens = await Promise.all([
        ...Array.from({ length: 10 }, () => first.getAccessToken('hubspot-acme', endpoint('first'))),
        ...Array.from({ length: 10 }, () => second.getAccessToken('hubspot-acme', endpoint('second'))),
      ]);
      expect(calls).toEqual(['refresh-initial-token', 'refresh-initial-token']);
      expect(new Set(tokens).size).toBe(1);
      const stored = JSON.parse(await createCredentialManager({ store: rightStore, keys }).get('hubspot-acme', 'oauth2')) as Record<
        string,
        unknown
      >;
      expect(stored).toMatchObject({ accessToken: tokens[0], refreshToken: 'refresh-initial-token' });
    } finally {
      await Promise.all([leftStore.close(), rightStore.close()]);
    }
  });
});
