import { createHub, IntegrationError, type Hub, type HubOptions, type Logger, type ProviderV1 } from '@switchyard/core';
import { createLeakyFailingProvider, createMemoryStorageProvider } from '@switchyard/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store';
import type { Store } from '../store/store';
import { createAlerts, type Alerts, type AlertsOptions } from './alerts';
import type { AlertChannel, AlertNotification } from './alert-types';

const PLANTED = 'planted-channel-secret-5150';

/** A memory storage provider that fails every call with a network error until `recover()`. */
function flakyStorage(id: string): { provider: ProviderV1; recover: () => void; fail: () => void } {
  const base = createMemoryStorageProvider({ id, buckets: ['bkt'] });
  let failing = true;
  return {
    provider: {
      ...base,
      execute: (request, context) =>
        failing
          ? Promise.reject(new IntegrationError({ kind: 'network', message: 'connection reset', provider: id }))
          : base.execute(request, context),
    },
    recover: () => {
      failing = false;
    },
    fail: () => {
      failing = true;
    },
  };
}

const put = (hub: Hub, key = 'k') => hub.storage.putObject({ bucket: 'bkt', key, body: 'x', encoding: 'utf8' }).catch(() => undefined);
const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

function recordingChannel(): AlertChannel & { readonly received: AlertNotification[] } {
  const received: AlertNotification[] = [];
  return { name: 'recording', received, send: (notification) => (received.push(notification), Promise.resolve()) };
}

const breakerHub = (providers: ProviderV1[], options: HubOptions = {}) =>
  createHub({ providers, routing: { breaker: { consecutiveFailures: 2, cooldownMs: 40 }, retry: { retries: 0 } }, ...options });

const running: Alerts[] = [];
const start = (options: AlertsOptions): Alerts => {
  const alerts = createAlerts(options);
  running.push(alerts);
  return alerts;
};
afterEach(async () => {
  await Promise.all(running.splice(0).map((alerts) => alerts.close()));
});

describe('breakerOpen', () => {
  it('raises once when a breaker opens and resolves by itself when it closes, telling the channels both times', async () => {
    const flaky = flakyStorage('flaky');
    const hub = breakerHub([flaky.provider]);
    const store = createMemoryStore();
    const channel = recordingChannel();
    const alerts = start({ hub, store, rules: [{ kind: 'breakerOpen', severity: 'high' }], channels: [channel] });

    await put(hub);
    await put(hub);
    await alerts.evaluate();
    await alerts.evaluate();
    await alerts.settled();
    const [raised] = await alerts.list({ open: true });
    expect(raised).toMatchObject({ rule: 'breakerOpen', severity: 'high', status: 'open', subject: { kind: 'provider', id: 'flaky' } });
    expect(raised?.message).toMatch(/"flaky" is open/);
    expect(channel.received.map((notification) => notification.event)).toEqual(['raised']);

    flaky.recover();
    await pause(60);
    await put(hub);
    await alerts.settled();
    expect(await alerts.list({ open: true })).toEqual([]);
    expect(await alerts.list()).toEqual([expect.objectContaining({ id: raised?.id, status: 'resolved', resolvedBy: 'auto' })]);
    expect(channel.received.map((notification) => notification.event)).toEqual(['raised', 'resolved']);
    expect((await store.events.listRecent()).map((event) => event.type)).toEqual(['alert.resolved', 'alert.raised']);
    await hub.close();
  });

  it('is resolved by hand, stays resolved while the breaker is open, and is raised anew when it opens again', async () => {
    const flaky = flakyStorage('flaky');
    const hub = breakerHub([flaky.provider]);
    const alerts = start({ hub, store: createMemoryStore(), rules: [{ kind: 'breakerOpen', severity: 'critical', name: 'storage-down' }] });
    await put(hub);
    await put(hub);
    await alerts.settled();
    const [first] = await alerts.list({ open: true });
    const resolved = await alerts.resolve(first?.id ?? '', { by: 'ada', note: 'known outage' });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'ada', note: 'known outage', rule: 'storage-down' });
    await alerts.evaluate();
    expect(await alerts.list({ open: true }), 'not raised again while it holds').toEqual([]);
    await expect(alerts.resolve(first?.id ?? '', { by: 'ada' })).rejects.toMatchObject({ kind: 'not_found' });

    flaky.recover();
    await pause(60);
    await put(hub);
    await alerts.settled();
    expect(await alerts.list({ open: true })).toEqual([]);
    expect((await alerts.list({ open: false })).map((alert) => alert.resolvedBy)).toEqual(['ada']);

    flaky.fail();
    await put(hub);
    await put(hub);
    await alerts.settled();
    const [again] = await alerts.list({ open: true });
    expect(again).toMatchObject({ rule: 'storage-down', status: 'open' });
    expect(again?.id).not.toBe(first?.id);
    await hub.close();
  });

  it('rebuilds open alerts from the event log after a restart and resolves them when the breaker closes', async () => {
    const flaky = flakyStorage('flaky');
    const hub = breakerHub([flaky.provider]);
    const store = createMemoryStore();
    const rules = [{ kind: 'breakerOpen', severity: 'high' }] as const;
    const before = createAlerts({ hub, store, rules });
    await put(hub);
    await put(hub);
    await before.close();

    const after = start({ hub, store, rules });
    const [open] = await after.list({ open: true });
    expect(open).toMatchObject({ rule: 'breakerOpen', status: 'open' });
    await after.evaluate();
    expect((await after.list()).length, 'not raised twice').toBe(1);
    flaky.recover();
    await pause(60);
    await put(hub);
    await after.settled();
    expect(await after.list()).toEqual([expect.objectContaining({ id: open?.id, status: 'resolved', resolvedBy: 'auto' })]);
    await hub.close();
  });
});

describe('delivery failures', () => {
  it('are logged and recorded without secrets, never thrown, and the other channels still deliver', async () => {
    const flaky = flakyStorage('flaky');
    const hub = breakerHub([flaky.provider]);
    hub.secrets.add(PLANTED);
    const store = createMemoryStore();
    const warnings: Record<string, unknown>[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (fields) => warnings.push(fields), error() {} };
    const broken: AlertChannel = {
      name: 'broken',
      send: () => Promise.reject(new Error(`POST https://hooks.example.test/${PLANTED} refused`)),
    };
    const throwing: AlertChannel = {
      name: 'throwing',
      send: () => {
        throw new IntegrationError({ kind: 'auth', message: 'bad key' });
      },
    };
    const good = recordingChannel();
    const alerts = start({ hub, store, logger, rules: [{ kind: 'breakerOpen', severity: 'low' }], channels: [broken, throwing, good] });
    await put(hub);
    await put(hub);
    await alerts.settled();

    expect(good.received).toHaveLength(1);
    const failures = await store.events.listRecent({ type: 'alert.delivery_failed' });
    expect(failures.map((event) => event.payload['channel']).sort()).toEqual(['broken', 'throwing']);
    expect(failures.find((event) => event.payload['channel'] === 'throwing')?.payload['error']).toEqual({
      kind: 'auth',
      message: 'bad key',
    });
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify([failures, warnings])).not.toContain(PLANTED);
    await hub.close();
  });
});

describe('failedSyncs', () => {
  it('raises after n consecutive failed syncs of an integration and resolves after a completed one', async () => {
    const store = createMemoryStore();
    const hub = createHub({ providers: [createMemoryStorageProvider({ id: 'memory' })] });
    await store.integrations.create({ id: 'acme', providerId: 'memory', name: 'Acme' });
    await store.integrations.create({ id: 'other', providerId: 'memory', name: 'Other' });
    const alerts = start({ hub, store, rules: [{ kind: 'failedSyncs', count: 3, severity: 'medium' }] });
    const failed = (integrationId: string) =>
      store.events.append({ type: 'sync.failed', integrationId, payload: { error: { kind: 'network', message: 'reset' } } });
    await store.events.append({ type: 'sync.completed', integrationId: 'acme' });
    await failed('acme');
    await failed('acme');
    await failed('other');
    await alerts.evaluate();
    expect(await alerts.list({ open: true }), 'two are not three').toEqual([]);

    await failed('acme');
    await alerts.evaluate();
    const [raised] = await alerts.list({ open: true });
    expect(raised).toMatchObject({ severity: 'medium', subject: { kind: 'integration', id: 'acme' } });
    expect(raised?.message).toBe('The last 3 syncs of integration "acme" failed (latest error: network).');
    expect((await store.events.listRecent({ integrationId: 'acme', type: 'alert.raised' })).length).toBe(1);

    await store.events.append({ type: 'sync.completed', integrationId: 'acme' });
    await alerts.evaluate();
    expect(await alerts.list({ open: true })).toEqual([]);
    await hub.close();
  });
});

describe('periodic checks', () => {
  it('check every rule on checkIntervalMs without being asked', async () => {
    const store = createMemoryStore();
    const hub = createHub({ providers: [createMemoryStorageProvider({ id: 'memory' })] });
    await store.integrations.create({ id: 'acme', providerId: 'memory', name: 'Acme' });
    await store.events.append({ type: 'sync.failed', integrationId: 'acme', payload: {} });
    start({ hub, store, checkIntervalMs: 20, rules: [{ kind: 'failedSyncs', count: 1, severity: 'low' }] });
    await pause(100);
    expect((await store.events.listRecent({ type: 'alert.raised' })).map((event) => event.integrationId)).toEqual(['acme']);
    await hub.close();
  });
});

describe('errorRate and healthBelow', () => {
  const setUp = async () => {
    let now = Date.now();
    const hub = createHub({
      providers: [
        createLeakyFailingProvider(createMemoryStorageProvider({ id: 'leaky' }), PLANTED),
        createMemoryStorageProvider({ id: 'backup', buckets: ['bkt'] }),
      ],
      routing: { providers: { leaky: { weight: 10 } }, retry: { retries: 0 }, breaker: { consecutiveFailures: 1000 } },
    });
    const store: Store = createMemoryStore();
    await store.integrations.create({ id: 'acme-leaky', providerId: 'leaky', name: 'Acme' });
    await store.integrations.create({ id: 'acme-backup', providerId: 'backup', name: 'Acme backup' });
    return { hub, store, clock: () => now, advance: (milliseconds: number) => (now += milliseconds) };
  };

  it('raises for a provider whose failures reach the threshold in the window, and resolves once they age out', async () => {
    const { hub, store, clock, advance } = await setUp();
    const alerts = start({
      hub,
      store,
      clock,
      rules: [
        { kind: 'errorRate', threshold: 0.5, windowMs: 60_000, minimumCalls: 4, severity: 'high' },
        {
          kind: 'errorRate',
          name: 'integration-errors',
          by: 'integration',
          threshold: 0.5,
          windowMs: 60_000,
          minimumCalls: 4,
          severity: 'low',
        },
      ],
    });
    for (let index = 0; index < 3; index += 1) await put(hub, `k${index}`);
    await alerts.evaluate();
    expect(await alerts.list({ open: true }), 'three calls are below minimumCalls').toEqual([]);
    await put(hub, 'k3');
    await alerts.evaluate();
    const open = await alerts.list({ open: true });
    expect(open.map((alert) => [alert.rule, alert.subject.id]).sort()).toEqual([
      ['errorRate', 'leaky'],
      ['integration-errors', 'acme-leaky'],
    ]);
    expect(open.find((alert) => alert.rule === 'errorRate')?.message).toBe(
      'Error rate of provider "leaky" is 100% (4 of 4 calls failed) over the last 1 min, at or above 50%.',
    );
    advance(61_000);
    await alerts.evaluate();
    expect(await alerts.list({ open: true })).toEqual([]);
    await hub.close();
  });

  it('raises for an integration whose health score is below the threshold', async () => {
    const { hub, store, clock } = await setUp();
    const alerts = start({ hub, store, clock, rules: [{ kind: 'healthBelow', threshold: 50, severity: 'medium' }] });
    await put(hub);
    await alerts.evaluate();
    const open = await alerts.list({ open: true });
    expect(open.map((alert) => alert.subject.id)).toEqual(['acme-leaky']);
    expect(open[0]?.message).toMatch(/^Health score of integration "acme-leaky" is \d+ \(unhealthy\), below 50\.$/);
    expect(JSON.stringify(await store.events.listRecent({ limit: 1000 }))).not.toContain(PLANTED);
    await hub.close();
  });
});

describe('createAlerts', () => {
  it('rejects a rule with a bad severity or threshold, and two rules of one name', () => {
    const hub = createHub({ providers: [] });
    const store = createMemoryStore();
    expect(() => createAlerts({ hub, store, rules: [{ kind: 'breakerOpen', severity: 'urgent' as 'high' }] })).toThrow(/severity/);
    expect(() => createAlerts({ hub, store, rules: [{ kind: 'errorRate', threshold: 5, severity: 'low' }] })).toThrow(/threshold/);
    expect(() =>
      createAlerts({
        hub,
        store,
        rules: [
          { kind: 'breakerOpen', severity: 'low' },
          { kind: 'breakerOpen', severity: 'high' },
        ],
      }),
    ).toThrow(/unique/);
    expect(() => createAlerts({ hub, store, rules: [], checkIntervalMs: 0 })).toThrow(/checkIntervalMs/);
  });
});
