import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store';
import { API_KEY_PREFIX, createApiKeys, hasScope } from './api-keys';

function setUp(options: { cacheTtlMs?: number } = {}) {
  let clock = Date.parse('2026-12-06T12:00:00Z');
  const store = createMemoryStore();
  const keys = createApiKeys(store, { now: () => clock, ...options });
  return { store, keys, advance: (ms: number) => (clock += ms) };
}

describe('createApiKeys', () => {
  it('issues a key shown once, stores only its hash, and accepts it for the scopes it holds', async () => {
    const { store, keys } = setUp();
    const { key, record } = await keys.issue({ name: 'agent', scopes: ['execute'] });
    expect(key).toMatch(new RegExp(`^${API_KEY_PREFIX}[0-9a-f]{16}_[A-Za-z0-9_-]{43}$`));
    expect(record).toMatchObject({ workspaceId: 'default', name: 'agent', scopes: ['execute'] });
    // The store holds no part of the secret: the key's secret half appears nowhere in what it keeps.
    const secretHalf = key.slice(API_KEY_PREFIX.length + 17);
    expect(JSON.stringify(await store.apiKeys.list())).not.toContain(secretHalf.slice(0, 12));

    expect(await keys.verify(key, 'execute')).toEqual({
      ok: true,
      identity: { id: record.id, workspaceId: 'default', name: 'agent', scopes: ['execute'] },
    });
    expect(await keys.verify(key, 'read')).toMatchObject({ ok: true });
    expect(await keys.verify(key, 'admin')).toMatchObject({ ok: false, reason: 'forbidden', identity: { id: record.id } });
  });

  it('refuses malformed keys, unknown ids and wrong secrets alike', async () => {
    const { keys } = setUp();
    const { key, record } = await keys.issue({ name: 'ci', scopes: ['read'] });
    const wrongSecret = `${key.slice(0, -4)}AAAA`;
    const unknownId = `${API_KEY_PREFIX}${'f'.repeat(16)}${key.slice(API_KEY_PREFIX.length + 16)}`;
    for (const candidate of ['', 'Bearer', key.toUpperCase(), wrongSecret, unknownId, `${key} `, record.secretHash]) {
      expect(await keys.verify(candidate), candidate).toEqual({ ok: false, reason: 'unknown' });
    }
  });

  it('refuses an expired or revoked key, and a revocation bites at once in this process', async () => {
    const { keys, advance } = setUp();
    const expiring = await keys.issue({ name: 'short', scopes: ['read'], expiresAt: new Date(Date.parse('2026-12-06T13:00:00Z')) });
    expect((await keys.verify(expiring.key)).ok).toBe(true);
    advance(60 * 60 * 1000);
    expect(await keys.verify(expiring.key)).toEqual({ ok: false, reason: 'expired' });

    const revoked = await keys.issue({ name: 'leaked', scopes: ['admin'] });
    expect((await keys.verify(revoked.key)).ok).toBe(true);
    await keys.revoke(revoked.record.id);
    expect(await keys.verify(revoked.key)).toEqual({ ok: false, reason: 'revoked' });
    await expect(keys.rotate(revoked.record.id)).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('sees a revocation made by another process within cacheTtlMs', async () => {
    const { store, keys, advance } = setUp({ cacheTtlMs: 5_000 });
    const other = createApiKeys(store);
    const { key, record } = await keys.issue({ name: 'shared', scopes: ['read'] });
    expect((await keys.verify(key)).ok).toBe(true);
    await other.revoke(record.id);
    advance(5_001);
    expect(await keys.verify(key)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('rotates: both keys work during the grace period, then only the new one', async () => {
    const { keys, advance } = setUp();
    const old = await keys.issue({ workspaceId: 'acme', name: 'deploy', scopes: ['execute'] });
    const rotated = await keys.rotate(old.record.id, { graceMs: 60_000 });
    expect(rotated.record).toMatchObject({ workspaceId: 'acme', name: 'deploy', scopes: ['execute'] });
    expect(rotated.key).not.toBe(old.key);
    expect((await keys.verify(old.key)).ok).toBe(true);
    expect((await keys.verify(rotated.key)).ok).toBe(true);
    advance(60_000);
    expect(await keys.verify(old.key)).toEqual({ ok: false, reason: 'expired' });
    expect((await keys.verify(rotated.key)).ok).toBe(true);
  });

  it('records the last use at most once per granularity', async () => {
    const { store, keys, advance } = setUp({ cacheTtlMs: 0 });
    const { key, record } = await keys.issue({ name: 'busy', scopes: ['read'] });
    await keys.verify(key);
    await new Promise((resolve) => setImmediate(resolve));
    const first = (await store.apiKeys.get(record.id)).lastUsedAt;
    expect(first).toBe('2026-12-06T12:00:00.000Z');
    advance(30_000);
    await keys.verify(key);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await store.apiKeys.get(record.id)).lastUsedAt).toBe(first);
    advance(30_000);
    await keys.verify(key);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await store.apiKeys.get(record.id)).lastUsedAt).toBe('2026-12-06T12:01:00.000Z');
  });

  it('lists a workspace’s keys', async () => {
    const { keys } = setUp();
    await keys.issue({ workspaceId: 'acme', name: 'a', scopes: ['read'] });
    await keys.issue({ workspaceId: 'globex', name: 'b', scopes: ['read'] });
    expect((await keys.list('acme')).map((key) => key.name)).toEqual(['a']);
    expect(await keys.list()).toHaveLength(2);
  });
});

describe('hasScope', () => {
  it('nests the scopes: admin holds execute, execute holds read', () => {
    expect(hasScope(['admin'], 'read')).toBe(true);
    expect(hasScope(['execute'], 'read')).toBe(true);
    expect(hasScope(['read'], 'execute')).toBe(false);
    expect(hasScope(['execute'], 'admin')).toBe(false);
  });
});
