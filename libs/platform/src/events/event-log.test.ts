import { createHub, type Logger } from '@switchyard/core';
import { createFakeProvider, createLeakyFailingProvider, createMemoryStorageProvider } from '@switchyard/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store';
import { createEventLog, type EventLog } from './event-log';

const PLANTED = 'sk_live_planted_event_log_secret_7781';

const put = (hub: ReturnType<typeof createHub>, key: string) =>
  hub.storage.putObject({ bucket: 'bkt', key, body: 'hello', encoding: 'utf8' });

const open: EventLog[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((log) => log.close()));
});

function recordingLogger(): Logger & { readonly warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return { debug() {}, info() {}, warn: (fields) => warnings.push(fields), error() {}, warnings };
}

describe('createEventLog', () => {
  it('records every hub event as hub.<type>, with errors as { kind, message } and no secret anywhere', async () => {
    const store = createMemoryStore();
    const hub = createHub({
      providers: [
        createLeakyFailingProvider(createMemoryStorageProvider({ id: 'leaky' }), PLANTED),
        createMemoryStorageProvider({ id: 'backup', buckets: ['bkt'] }),
      ],
      routing: { providers: { leaky: { weight: 10 } }, retry: { retries: 0 } },
    });
    const log = createEventLog({ hub, store });
    open.push(log);

    await put(hub, 'k1');
    await log.flush();

    const events = await log.query({ limit: 1000 });
    const types = events.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['hub.route', 'hub.attempt', 'hub.failover', 'hub.request']));
    const failover = events.find((event) => event.type === 'hub.failover');
    expect(failover?.payload).toMatchObject({ from: 'leaky', to: 'backup', capability: 'storage', operation: 'putObject' });
    expect(Object.keys((failover?.payload['error'] ?? {}) as object).sort()).toEqual(['kind', 'message']);
    expect(failover?.payload['error']).toMatchObject({ kind: 'network' });
    expect(JSON.stringify(await store.events.listRecent({ limit: 1000 }))).not.toContain(PLANTED);
    expect(JSON.stringify(events)).toContain('[REDACTED]');
    await hub.close();
  });

  it('queries by type, integration and time range, and sees the sync and integration events of the same store', async () => {
    const store = createMemoryStore();
    const hub = createHub({ providers: [createMemoryStorageProvider({ id: 'memory', buckets: ['bkt'] })] });
    const log = createEventLog({ hub, store, types: ['request'] });
    open.push(log);
    await store.events.append({ type: 'sync.failed', integrationId: 'acme', payload: { error: { kind: 'network', message: 'x' } } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await put(hub, 'k1');
    await log.flush();

    expect((await log.query()).map((event) => event.type)).toEqual(['hub.request', 'sync.failed']);
    expect((await log.query({ type: 'sync.failed', integrationId: 'acme' })).map((event) => event.type)).toEqual(['sync.failed']);
    expect((await log.query({ since: between })).map((event) => event.type)).toEqual(['hub.request']);
    expect((await log.query({ until: between.toISOString() })).map((event) => event.type)).toEqual(['sync.failed']);
    expect(await log.query({ integrationId: 'other' })).toEqual([]);
    await hub.close();
  });

  it('records the integration a credential refresh names', async () => {
    const store = createMemoryStore();
    let refreshed:
      | ((event: { integrationId: string; outcome: 'failed'; durationMs: number; error: { kind: 'auth'; message: string } }) => void)
      | undefined;
    const hub = createHub({
      providers: [createMemoryStorageProvider({ id: 'memory' })],
      credentials: {
        has: () => true,
        onRefresh: (listener) => {
          refreshed = listener;
          return () => undefined;
        },
      },
    });
    const log = createEventLog({ hub, store });
    open.push(log);
    refreshed?.({ integrationId: 'acme', outcome: 'failed', durationMs: 3, error: { kind: 'auth', message: `token ${PLANTED}1 revoked` } });
    await log.flush();
    const [event] = await log.query({ integrationId: 'acme' });
    expect(event).toMatchObject({ type: 'hub.credential.refresh', integrationId: 'acme', payload: { outcome: 'failed' } });
    expect(JSON.stringify(event)).not.toContain(PLANTED);
    await hub.close();
  });

  it('batches appends off the hub’s path: a call returns before its events are stored', async () => {
    const store = createMemoryStore();
    const hub = createHub({ providers: [createMemoryStorageProvider({ id: 'memory', buckets: ['bkt'] })] });
    const log = createEventLog({ hub, store, flushDelayMs: 50 });
    open.push(log);
    await put(hub, 'k1');
    expect(await store.events.listRecent(), 'nothing written yet').toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await store.events.listRecent()).length).toBeGreaterThan(0);
    await hub.close();
  });

  it('drops the oldest queued events when the queue is full, counts them and warns once per batch', async () => {
    const store = createMemoryStore();
    const logger = recordingLogger();
    const hub = createHub({ providers: [createMemoryStorageProvider({ id: 'memory', buckets: ['bkt'] })] });
    const log = createEventLog({ hub, store, types: ['request'], maxQueue: 3, flushDelayMs: 1_000, logger });
    open.push(log);
    for (let index = 0; index < 5; index += 1) await put(hub, `k${index}`);
    expect(log.dropped).toBe(2);
    await log.flush();
    const stored = await store.events.listRecent();
    expect(stored).toHaveLength(3);
    expect(logger.warnings).toEqual([expect.objectContaining({ dropped: 2, total: 2, maxQueue: 3 })]);
    await hub.close();
  });

  it('prunes events older than the retention, at start and on its interval', async () => {
    const store = createMemoryStore();
    await store.events.append({ type: 'sync.completed' });
    let now = Date.now();
    const hub = createHub({ providers: [createFakeProvider({ id: 'fake', capabilities: [] })] });
    const log = createEventLog({ hub, store, retentionMs: 60_000, pruneIntervalMs: 20, clock: () => now });
    open.push(log);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await store.events.listRecent(), 'within the retention').toHaveLength(1);
    now += 61_000;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await store.events.listRecent(), 'pruned on the interval').toEqual([]);
    await store.events.append({ type: 'sync.completed' });
    now += 61_000;
    expect(await log.prune()).toBe(1);
    await hub.close();
  });

  it('stops recording on close, after writing what was queued', async () => {
    const store = createMemoryStore();
    const hub = createHub({ providers: [createMemoryStorageProvider({ id: 'memory', buckets: ['bkt'] })] });
    const log = createEventLog({ hub, store, types: ['request'], flushDelayMs: 1_000 });
    await put(hub, 'k1');
    await log.close();
    expect(await store.events.listRecent()).toHaveLength(1);
    await put(hub, 'k2');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.events.listRecent()).toHaveLength(1);
    await log.close();
    await hub.close();
  });

  it('rejects a retention that is not a positive number', () => {
    const hub = createHub({ providers: [] });
    expect(() => createEventLog({ hub, store: createMemoryStore(), retentionMs: 0 })).toThrow(/retentionMs/);
  });
});
