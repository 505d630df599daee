import { createHub } from '@switchyard/core';
import { createFakeProvider, createMemoryStorageProvider } from '@switchyard/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store';
import { checkRateLimit } from './check-rate-limit';

const LOOKUP = { name: 'storage', version: 1, operations: ['headObject'] } as const;

async function setUp() {
  const limited = createFakeProvider({
    id: 'limited',
    capabilities: [LOOKUP],
    rateLimits: [{ requests: 2, intervalMs: 60_000 }],
    handle: () => ({
      bucket: 'bkt',
      key: 'k',
      size: 1,
      contentType: 'text/plain',
      etag: 'e',
      lastModified: new Date().toISOString(),
      metadata: {},
    }),
  });
  const hub = createHub({
    providers: [limited, createMemoryStorageProvider({ id: 'unlimited', buckets: ['bkt'] })],
    routing: { retry: { retries: 0 } },
  });
  const store = createMemoryStore();
  await store.integrations.create({ id: 'acme', providerId: 'limited', name: 'Acme' });
  await store.integrations.create({ id: 'free', providerId: 'unlimited', name: 'Free' });
  await store.integrations.create({ id: 'gone', providerId: 'not-registered', name: 'Gone' });
  return { hub, store, limited };
}

describe('checkRateLimit', () => {
  it('reads the router’s token buckets for the integration’s provider, without taking a token', async () => {
    const { hub, store, limited } = await setUp();
    const first = await checkRateLimit({ hub, store }, 'acme', 'storage.headObject');
    expect(first).toMatchObject({ allowed: true, remaining: 2, waitMs: 0, provider: 'limited' });
    expect(Date.parse(first.resetAt)).toBeLessThanOrEqual(Date.now());
    expect((await checkRateLimit({ hub, store }, 'acme', 'headObject')).remaining, 'checking takes nothing').toBe(2);

    const call = () => hub.storage.headObject({ bucket: 'bkt', key: 'k' }, { only: ['limited'] }).catch(() => undefined);
    await call();
    await call();
    expect(limited.calls).toHaveLength(2);
    const used = await checkRateLimit({ hub, store }, 'acme', 'storage.headObject');
    expect(used).toMatchObject({ allowed: false, remaining: 0, provider: 'limited' });
    expect(used.waitMs).toBeGreaterThan(25_000);
    expect(Date.parse(used.resetAt)).toBeGreaterThan(Date.now() + 55_000);
    await hub.close();
  });

  it('says an unlimited provider is allowed with no count', async () => {
    const { hub, store } = await setUp();
    expect(await checkRateLimit({ hub, store }, 'free', 'storage.putObject')).toMatchObject({ allowed: true, remaining: null, waitMs: 0 });
    await hub.close();
  });

  it('rejects an unknown integration, an unregistered provider and an operation the provider lacks', async () => {
    const { hub, store } = await setUp();
    await expect(checkRateLimit({ hub, store }, 'nobody', 'storage.headObject')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(checkRateLimit({ hub, store }, 'gone', 'storage.headObject')).rejects.toMatchObject({ kind: 'validation' });
    await expect(checkRateLimit({ hub, store }, 'acme', 'storage.putObject')).rejects.toMatchObject({ kind: 'validation' });
    await expect(checkRateLimit({ hub, store }, 'acme', 'messaging.headObject')).rejects.toMatchObject({ kind: 'validation' });
    await hub.close();
  });
});
