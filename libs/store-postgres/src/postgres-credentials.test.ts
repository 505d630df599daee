import { randomBytes, randomUUID } from 'node:crypto';
import { createHub, type Hub, type HubEvents, type OAuth2RefreshFunction } from '@switchyard/core';
import { createCredentialManager, type CredentialManager, type Store } from '@switchyard/platform';
import { createFakeProvider } from '@switchyard/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from './postgres-store';

const connectionString = process.env['SWITCHYARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The schema name comes from a UUID, never input; it is dropped at the end. */
const schema = `switchyard_test_${randomUUID().replaceAll('-', '').slice(0, 10)}_vault`;
const admin = new pg.Pool({ connectionString, max: 1 });
const keys = { current: { id: 'k1', secret: randomBytes(32).toString('base64') } };
const INTEGRATION = 'hubspot-acme';
const now = { value: Date.parse('2026-01-01T00:00:00Z') };

/** Two processes: two stores (two pools) on one schema, each with its own credential manager. */
let processes: { store: Store; manager: CredentialManager }[] = [];

beforeAll(async () => {
  try {
    await admin.query('SELECT 1');
  } catch (error) {
    throw new Error(`These tests need PostgreSQL at ${connectionString} (or SWITCHYARD_TEST_DATABASE_URL).`, { cause: error });
  }
  const stores = [await createPostgresStore({ connectionString, schema, maxConnections: 4 })];
  stores.push(await createPostgresStore({ connectionString, schema, maxConnections: 4 }));
  processes = stores.map((store) => ({ store, manager: createCredentialManager({ store, keys, clock: () => now.value }) }));
  await stores[0]?.integrations.create({ id: INTEGRATION, providerId: 'hubspot', name: 'HubSpot' });
});

afterAll(async () => {
  try {
    await Promise.all(processes.map(({ store }) => store.close()));
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.end();
  }
});

/** A token endpoint for one process: rotates refresh tokens, and waits until both processes have called theirs. */
function endpoint(name: string, bothCalled: Promise<void>, called: () => void) {
  const calls: string[] = [];
  const refresh: OAuth2RefreshFunction = async (refreshToken) => {
    calls.push(refreshToken);
    called();
    await bothCalled;
    return { accessToken: `access-${name}-${randomUUID()}`, refreshToken: `refresh-${name}-${randomUUID()}`, expiresInSeconds: 3600 };
  };
  return { refresh, calls };
}

function barrier(parties: number): { arrive: () => void; done: Promise<void> } {
  let arrived = 0;
  let open: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { arrive: () => ((arrived += 1) === parties ? open() : undefined), done };
}

describe('credential manager on PostgreSQL, two processes', () => {
  it('never loses a refreshed token when both refresh at once: the compare-and-swap loser uses the winner’s token', async () => {
    const [first, second] = processes;
    if (first === undefined || second === undefined) throw new Error('set-up failed');
    await first.manager.setOAuth2Tokens(INTEGRATION, {
      accessToken: 'access-initial-token',
      refreshToken: 'refresh-initial-token',
      expiresAt: now.value - 1,
    });
    for (let round = 0; round < 5; round += 1) {
      const both = barrier(2);
      const left = endpoint('left', both.done, both.arrive);
      const right = endpoint('right', both.done, both.arrive);
      // 25 concurrent callers in each process: one refresh per process, one write wins.
      const tokens = await Promise.all([
        ...Array.from({ length: 25 }, () => first.manager.getAccessToken(INTEGRATION, left.refresh)),
        ...Array.from({ length: 25 }, () => second.manager.getAccessToken(INTEGRATION, right.refresh)),
      ]);
      expect(left.calls, `round ${round}`).toHaveLength(1);
      expect(right.calls, `round ${round}`).toHaveLength(1);
      expect(left.calls).toEqual(right.calls);
      expect(new Set(tokens).size, `round ${round}: everyone got the same token`).toBe(1);
      const [winner] = tokens;
      const stored = JSON.parse(await createCredentialManager({ store: second.store, keys }).get(INTEGRATION, 'oauth2')) as {
        accessToken: string;
        refreshToken: string;
      };
      expect(stored.accessToken).toBe(winner);
      expect(stored.refreshToken.split('-')[1]).toBe(winner?.split('-')[1]);
      // Still fresh: neither process refreshes again.
      expect(await first.manager.getAccessToken(INTEGRATION, left.refresh)).toBe(winner);
      expect(await second.manager.getAccessToken(INTEGRATION, right.refresh)).toBe(winner);
      expect(left.calls.length + right.calls.length).toBe(2);
      now.value += 3_600_000;
    }
  });

  it('lets the second process use a token the first refreshed, without refreshing', async () => {
    const [first, second] = processes;
    if (first === undefined || second === undefined) throw new Error('set-up failed');
    now.value += 3_600_000;
    const refreshed = await first.manager.getAccessToken(INTEGRATION, () =>
      Promise.resolve({ accessToken: 'access-first-only-token', expiresInSeconds: 3600 }),
    );
    let calls = 0;
    const token = await second.manager.getAccessToken(INTEGRATION, () => {
      calls += 1;
      return Promise.resolve({ accessToken: 'access-never-used-token', expiresInSeconds: 3600 });
    });
    expect(token).toBe(refreshed);
    expect(calls).toBe(0);
    const records = JSON.stringify(await second.store.credentials.list());
    expect(records).not.toContain(refreshed);
  });
});

describe('two hubs sharing the PostgreSQL store', () => {
  /** A hub per process, with the vault as its credential lookup and a provider that authenticates with the vault's OAuth2 token. */
  function hubFor(process: { manager: CredentialManager }, refresh: OAuth2RefreshFunction) {
    const tokensSeen: string[] = [];
    const refreshEvents: HubEvents['credential.refresh'][] = [];
    const crm = createFakeProvider({
      id: 'hubspot',
      capabilities: [{ name: 'storage', version: 1, operations: ['headObject'] }],
      handle: async (request) => {
        tokensSeen.push(await process.manager.getAccessToken(INTEGRATION, refresh));
        const { bucket, key } = request.input as { bucket: string; key: string };
        return { bucket, key, size: 0, etag: 'e', contentType: 'text/plain', lastModified: new Date(0).toISOString(), metadata: {} };
      },
    });
    const unconfigured = createFakeProvider({
      id: 'salesforce',
      capabilities: [{ name: 'storage', version: 1, operations: ['headObject'] }],
    });
    const hub: Hub = createHub({
      providers: [crm, unconfigured],
      credentials: process.manager,
      events: { 'credential.refresh': (event) => refreshEvents.push(event) },
    });
    return { hub, tokensSeen, refreshEvents };
  }

  it('never loses a refreshed token: every call through either hub uses the winning token, and the events say who refreshed', async () => {
    const [first, second] = processes;
    if (first === undefined || second === undefined) throw new Error('set-up failed');
    await Promise.all([first.manager.load(), second.manager.load()]);
    now.value += 3_600_000;
    const both = barrier(2);
    const left = hubFor(first, endpoint('left', both.done, both.arrive).refresh);
    const right = hubFor(second, endpoint('right', both.done, both.arrive).refresh);
    const request = { capability: 'storage', operation: 'headObject', input: { bucket: 'reports', key: 'q1.csv' } } as const;
    try {
      const results = await Promise.all([
        ...Array.from({ length: 25 }, () => left.hub.execute(request)),
        ...Array.from({ length: 25 }, () => right.hub.execute(request)),
      ]);
      // The vault knows "hubspot" through its integration; "salesforce" has no secrets, so neither hub routes to it.
      expect(new Set(results.map((result) => result.provider))).toEqual(new Set(['hubspot']));
      const tokens = new Set([...left.tokensSeen, ...right.tokensSeen]);
      expect(tokens.size, 'one token for all 50 calls').toBe(1);
      const stored = JSON.parse(await createCredentialManager({ store: second.store, keys }).get(INTEGRATION, 'oauth2')) as {
        accessToken: string;
      };
      expect(tokens).toEqual(new Set([stored.accessToken]));
      const outcomes = [...left.refreshEvents, ...right.refreshEvents].map((event) => event.outcome).sort();
      expect(outcomes).toEqual(['adopted', 'refreshed']);
      expect(JSON.stringify([left.refreshEvents, right.refreshEvents])).not.toContain(stored.accessToken);
      expect(left.hub.explain(request).candidates).toContainEqual(
        expect.objectContaining({ provider: 'salesforce', eligible: false, reason: 'no credentials in the vault' }),
      );
    } finally {
      await Promise.all([left.hub.close(), right.hub.close()]);
    }
  });
});
