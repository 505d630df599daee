import { IntegrationError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store';
import type { Store } from '../store/store';
import type { JsonObject } from '../store/store-records';
import { readPosition } from './sync-checkpoint';
import { readSyncSettings } from './sync-settings';
import { createSyncService, SYNC_EVENT_TYPES, type SyncService } from './sync-service';
import type { SyncPageRequest, SyncSource, SyncStream } from './sync-source';

/** A source over a list it holds, paged by offset, that can change between runs and fail on demand. */
function listSource(initial: JsonObject[]) {
  const items = [...initial];
  const requests: SyncPageRequest[] = [];
  let failAt: number | undefined;
  let failure: Error = new Error('no failure set');
  const source: SyncSource = {
    readPage(request) {
      requests.push(request);
      const offset = request.cursor === undefined ? 0 : Number(request.cursor);
      if (failAt !== undefined && offset >= failAt) {
        failAt = undefined;
        return Promise.reject(failure);
      }
      const visible = request.since === undefined ? items : items.filter((item) => (item['updatedAt'] as string) >= (request.since ?? ''));
      const page = visible.slice(offset, offset + request.limit);
      const next = offset + request.limit < visible.length ? String(offset + request.limit) : undefined;
      return Promise.resolve({ items: page, nextCursor: next });
    },
  };
  return {
    source,
    items,
    requests,
    failOnceAt(offset: number, error: Error) {
      failAt = offset;
      failure = error;
    },
  };
}

const issue = (id: number, title = `issue ${id}`, updatedAt = '2026-01-01T00:00:00.000Z'): JsonObject => ({ id, title, updatedAt });
const issues = (count: number) => Array.from({ length: count }, (_, index) => issue(index + 1));

async function setUp(streamOf: (source: SyncSource) => SyncStream, initial: JsonObject[], batchSize = 10) {
  const store: Store = createMemoryStore();
  const integration = await store.integrations.create({
    providerId: 'github',
    name: 'GitHub',
    settings: { sync: { batchSize, retryAttempts: 1 } },
  });
  const list = listSource(initial);
  const service: SyncService = createSyncService({ store, streams: () => [streamOf(list.source)], leaseMs: 5_000 });
  return { store, integration, list, service };
}

const fullStream = (source: SyncSource): SyncStream => ({ name: 'issues', entity: 'issue', source });

describe('createSyncService', () => {
  it('syncs a full stream page by page, then rewrites nothing that did not change and deletes what is gone', async () => {
    const { store, integration, list, service } = await setUp(fullStream, issues(25));
    const first = await service.syncIntegration(integration.id);
    expect(first).toMatchObject({ recordsProcessed: 25, created: 25, updated: 0, unchanged: 0, deleted: 0, failed: 0 });
    expect(first.duration).toBeGreaterThanOrEqual(0);
    expect(list.requests.map((request) => request.cursor)).toEqual([undefined, '10', '20']);
    expect(await store.sync.countRecords(integration.id, 'issue')).toBe(25);

    list.items.splice(4, 1);
    list.items[0] = issue(1, 'renamed');
    const second = await service.syncIntegration(integration.id);
    expect(second).toMatchObject({ recordsProcessed: 24, created: 0, updated: 1, unchanged: 23, deleted: 1 });
    await expect(store.records.get(integration.id, 'issue', '5')).rejects.toMatchObject({ kind: 'not_found' });
    expect((await store.records.get(integration.id, 'issue', '1')).data).toMatchObject({ title: 'renamed' });
    expect(readPosition((await store.checkpoints.get(integration.id, 'issues'))?.cursor)).toEqual(
      expect.objectContaining({ pass: undefined, page: undefined }),
    );

    const logged = (await store.events.listRecent({ integrationId: integration.id })).map((event) => event.type);
    expect(logged).toEqual([SYNC_EVENT_TYPES.completed, SYNC_EVENT_TYPES.started, SYNC_EVENT_TYPES.completed, SYNC_EVENT_TYPES.started]);
  });

  it('resumes a failed run at the first page it had not stored, and the store ends up with each record once', async () => {
    const { store, integration, list, service } = await setUp(fullStream, issues(35));
    list.failOnceAt(20, new IntegrationError({ kind: 'auth', message: 'token revoked' }));
    await expect(service.syncIntegration(integration.id)).rejects.toMatchObject({ kind: 'auth' });
    expect(await store.sync.countRecords(integration.id)).toBe(20);
    const position = readPosition((await store.checkpoints.get(integration.id, 'issues'))?.cursor);
    expect(position.page).toBe('20');
    expect(await store.sync.getLease(integration.id), 'a failed run gives its lease up').toBeUndefined();

    list.requests.length = 0;
    const resumed = await service.syncIntegration(integration.id);
    expect(list.requests.map((request) => request.cursor)).toEqual(['20', '30']);
    expect(resumed).toMatchObject({ recordsProcessed: 15, created: 15, deleted: 0 });
    expect(await store.sync.countRecords(integration.id)).toBe(35);
    const failed = await store.events.listRecent({ integrationId: integration.id, type: SYNC_EVENT_TYPES.failed });
    expect(failed[0]?.payload).toMatchObject({ error: { kind: 'auth', message: 'token revoked' } });
  });

  it('retries a page that failed with a retryable error', async () => {
    const { integration, list, service } = await setUp(fullStream, issues(15));
    list.failOnceAt(10, new IntegrationError({ kind: 'network', message: 'socket hang up' }));
    const summary = await service.syncIntegration(integration.id);
    expect(summary).toMatchObject({ recordsProcessed: 15, created: 15 });
    expect(list.requests.map((request) => request.cursor)).toEqual([undefined, '10', '10']);
  });

  it('reads an incremental stream since the last high-water mark, and only a full run deletes', async () => {
    const stream = (source: SyncSource): SyncStream => ({ name: 'issues', entity: 'issue', source, mode: 'incremental', fullEvery: 100 });
    const { store, integration, list, service } = await setUp(stream, [
      issue(1, 'a', '2026-01-01T00:00:00.000Z'),
      issue(2, 'b', '2026-01-02T00:00:00.000Z'),
    ]);
    expect(await service.syncIntegration(integration.id)).toMatchObject({ created: 2 });
    expect(list.requests.at(-1)?.since, 'the first run is a full one').toBeUndefined();

    list.items.push(issue(3, 'c', '2026-01-03T00:00:00.000Z'));
    list.items.splice(0, 1);
    const incremental = await service.syncIntegration(integration.id);
    expect(list.requests.at(-1)?.since).toBe('2026-01-02T00:00:00.000Z');
    expect(incremental).toMatchObject({ recordsProcessed: 2, created: 1, unchanged: 1, deleted: 0 });
    expect(await store.sync.countRecords(integration.id)).toBe(3);

    const full = await service.syncIntegration(integration.id, { full: true });
    expect(full).toMatchObject({ deleted: 1 });
    expect((await store.records.list({ integrationId: integration.id })).map((record) => record.externalId)).toEqual(['2', '3']);
  });

  it('sends records that cannot be keyed or mapped to the dead-letter list and goes on', async () => {
    const stream = (source: SyncSource): SyncStream => ({
      name: 'issues',
      entity: 'issue',
      source,
      mapping: {
        toInternal: (item) =>
          typeof item['title'] === 'string' && item['title'] !== ''
            ? { ok: true, record: { externalId: JSON.stringify(item['id']), name: item['title'] } }
            : { ok: false, errors: [{ field: 'name', rule: 'required', message: 'is required' }] },
      },
    });
    const { store, integration, service } = await setUp(stream, [issue(1), { title: 'no id' }, issue(3, '')]);
    expect(await service.syncIntegration(integration.id)).toMatchObject({ recordsProcessed: 3, created: 1, failed: 2 });
    expect((await store.records.get(integration.id, 'issue', '1')).data).toEqual({ externalId: '1', name: 'issue 1' });
    expect((await store.sync.listDeadLetters(integration.id)).map((letter) => [letter.externalId, letter.reason])).toEqual([
      [undefined, 'the record has no external id'],
      ['3', 'name: required: is required'],
    ]);
  });

  it('runs one sync per integration: a second caller is told it is busy, or waits its turn', async () => {
    const { store, integration, list, service } = await setUp(fullStream, issues(5));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: SyncSource = {
      readPage: async (request) => {
        await gate;
        return list.source.readPage(request);
      },
    };
    const other = createSyncService({ store, streams: () => [fullStream(slow)], owner: 'other-process' });
    const first = other.syncIntegration(integration.id);
    await expect
      .poll(() => store.sync.getLease(integration.id))
      .toMatchObject({ owner: expect.stringMatching(/^other-process:/) as unknown });

    const busy = await service.syncIntegration(integration.id).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(IntegrationError);
    expect(busy).toMatchObject({ kind: 'conflict', details: { busy: true } });

    const waiting = service.syncIntegration(integration.id, { waitMs: 10_000 });
    release();
    expect(await first).toMatchObject({ created: 5 });
    expect(await waiting).toMatchObject({ unchanged: 5 });
  });

  it('reads the seeds’ settings and refuses bad ones with the field named', async () => {
    expect(readSyncSettings({})).toMatchObject({
      autoSync: false,
      syncInterval: 15 * 60_000,
      batchSize: 500,
      retryAttempts: 3,
      timeoutMs: 30 * 60_000,
      syncOnStartup: false,
    });
    expect(readSyncSettings({ sync: { batchSize: 50 } })).toMatchObject({ batchSize: 50, retryAttempts: 3 });
    const store = createMemoryStore();
    const integration = await store.integrations.create({ providerId: 'github', name: 'GitHub', settings: { sync: { batchSize: 0 } } });
    const service = createSyncService({ store, streams: () => [] });
    await expect(service.syncIntegration(integration.id)).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('batchSize') as unknown,
    });
  });

  it('runs scheduled syncs on timers and stops them', async () => {
    const { store, integration, service } = await setUp(fullStream, issues(3));
    await service.startSync(integration.id, 1_000);
    await expect.poll(() => store.sync.countRecords(integration.id), { timeout: 10_000 }).toBe(3);
    await service.stop();
    const runs = (await store.events.listRecent({ integrationId: integration.id, type: SYNC_EVENT_TYPES.started })).length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await store.events.listRecent({ integrationId: integration.id, type: SYNC_EVENT_TYPES.started })).length).toBe(runs);
  });
});
