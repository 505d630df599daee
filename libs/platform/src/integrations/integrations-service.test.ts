import { describe, expect, it } from 'vitest';
import { createHub, IntegrationError } from '@switchyard/core';
import { createFakeProvider, integrationErrorOf, type FakeProvider } from '@switchyard/core/testing';
import { createMemoryStore } from '../store/memory-store';
import { INTEGRATION_EVENT_TYPES } from './integration-events';
import { createIntegrationsService } from './integrations-service';

function storageFake(id: string): FakeProvider {
  return createFakeProvider({
    id,
    capabilities: [{ name: 'storage', version: 1, operations: ['headObject'] }],
    handle: (request) => {
      const { bucket, key } = request.input as { bucket: string; key: string };
      return { bucket, key, size: 1, etag: 'e', contentType: 'text/plain', lastModified: '2026-01-01T00:00:00.000Z', metadata: {} };
    },
  });
}

function setup(options: { now?: () => number } = {}) {
  const primary = storageFake('primary');
  const hub = createHub({ providers: [primary], routing: { retry: { retries: 0 } } });
  const store = createMemoryStore();
  const service = createIntegrationsService({ store, hub, clock: options.now, connectionTestTimeoutMs: 50 });
  return { primary, hub, store, service };
}

const head = { capability: 'storage', operation: 'headObject', input: { bucket: 'reports', key: 'a.csv' } };

describe('creating, reading, updating and deleting integrations', () => {
  it('creates a disabled integration for a registered provider and records it', async () => {
    const { service, store } = setup();
    const created = await service.createIntegration({ providerId: 'primary', name: 'Primary', settings: { region: 'eu' } });
    expect(created).toMatchObject({ providerId: 'primary', name: 'Primary', settings: { region: 'eu' }, status: 'disabled' });
    expect(await service.getIntegrationById(created.id)).toEqual(created);
    expect(await service.getIntegrations({ providerId: 'primary' })).toEqual([created]);
    expect(await service.getIntegrations({ providerId: 'other' })).toEqual([]);
    const [event] = await store.events.listRecent({ integrationId: created.id });
    expect(event?.type).toBe(INTEGRATION_EVENT_TYPES.created);
  });

  it('names the bad field in validation errors', async () => {
    const { service } = setup();
    const unknown = await integrationErrorOf(service.createIntegration({ providerId: 'nope', name: 'X' }));
    expect(unknown.kind).toBe('validation');
    expect(unknown.message).toMatch(/providerId: no provider "nope" is registered in the hub \(registered: primary\)/);
    expect(unknown.details).toEqual({ field: 'providerId' });
    expect((await integrationErrorOf(service.createIntegration({ providerId: 'primary', name: ' ' }))).message).toMatch(/name: must be/);
    const badSettings = await integrationErrorOf(service.createIntegration({ providerId: 'primary', name: 'X', settings: [] as never }));
    expect(badSettings.details).toEqual({ field: 'settings' });
    const created = await service.createIntegration({ providerId: 'primary', name: 'X' });
    expect((await integrationErrorOf(service.updateIntegration(created.id, { name: '' }))).message).toMatch(/updateIntegration: name:/);
  });

  it('updates name and settings, and deletes', async () => {
    const { service } = setup();
    const created = await service.createIntegration({ providerId: 'primary', name: 'Old' });
    const updated = await service.updateIntegration(created.id, { name: 'New', settings: { a: 1 } });
    expect(updated).toMatchObject({ name: 'New', settings: { a: 1 }, status: 'disabled' });
    await service.deleteIntegration(created.id);
    expect((await integrationErrorOf(service.getIntegrationById(created.id))).kind).toBe('not_found');
    expect((await integrationErrorOf(service.deleteIntegration(created.id))).kind).toBe('not_found');
  });
});

describe('connection tests and status transitions', () => {
  it('records a passing and a failing connection test as events', async () => {
    const { service, primary, store } = setup();
    const { id } = await service.createIntegration({ providerId: 'primary', name: 'Primary' });
    expect(await service.testConnection(id)).toMatchObject({ integrationId: id, healthy: true, checked: true, error: undefined });
    primary.failWith(() => new IntegrationError({ kind: 'auth', message: 'credentials rejected' }));
    const failed = await service.testConnection(id);
    expect(failed).toMatchObject({ healthy: false, error: { kind: 'auth', message: 'credentials rejected' } });
    const tests = await store.events.listRecent({ integrationId: id, type: INTEGRATION_EVENT_TYPES.tested });
    expect(tests.map((event) => event.payload['healthy'])).toEqual([false, true]);
  });

  it('bounds a hanging health check by the deadline', async () => {
    const { service, primary } = setup();
    const { id } = await service.createIntegration({ providerId: 'primary', name: 'Primary' });
    primary.hang();
    expect(await service.testConnection(id)).toMatchObject({ healthy: false, error: { kind: 'timeout' } });
  });

  it('connects, fails to connect, and disconnects, recording each transition', async () => {
    const { service, primary, store } = setup();
    const { id } = await service.createIntegration({ providerId: 'primary', name: 'Primary' });
    expect((await service.connect(id)).status).toBe('active');
    expect(await service.getStatus(id)).toMatchObject({
      status: 'active',
      providerRegistered: true,
      breaker: 'closed',
      lastTest: { healthy: true },
    });
    expect((await service.disconnect(id)).status).toBe('disabled');
    expect((await service.disconnect(id)).status).toBe('disabled');
    primary.failWith(() => new IntegrationError({ kind: 'network', message: 'ECONNREFUSED' }));
    const error = await integrationErrorOf(service.connect(id));
    expect(error.message).toMatch(/failed its connection test: ECONNREFUSED/);
    expect((await service.getIntegrationById(id)).status).toBe('error');
    const types = (await store.events.listRecent({ integrationId: id })).map((event) => event.type).reverse();
    expect(types).toEqual([
      'integration.created',
      'integration.tested',
      'integration.connected',
      'integration.disconnected',
      'integration.tested',
      'integration.connect_failed',
    ]);
  });

  it('refuses to test an integration whose provider left the hub', async () => {
    const { service, hub } = setup();
    const { id } = await service.createIntegration({ providerId: 'primary', name: 'Primary' });
    hub.unregister('primary');
    expect((await integrationErrorOf(service.testConnection(id))).message).toMatch(/not registered in the hub/);
    expect(await service.getStatus(id)).toMatchObject({ providerRegistered: false, breaker: undefined, lastTest: undefined });
  });
});

describe('health and metrics', () => {
  it('scores 100 for an untouched integration and less after failures', async () => {
    const { service, hub, primary } = setup();
    const { id } = await service.createIntegration({ providerId: 'primary', name: 'Primary' });
    expect(await service.checkHealth(id)).toMatchObject({ score: 100, grade: 'healthy' });
    await hub.execute(head);
    primary.failWith(() => new IntegrationError({ kind: 'network', message: 'reset' }));
    await integrationErrorOf(hub.execute(head));
    await integrationErrorOf(hub.execute(head));
    await integrationErrorOf(hub.execute(head));
    const health = await service.checkHealth(id);
    expect(health.terms.success).toBeCloseTo(0.25);
    expect(health.score).toBeLessThan(80);
  });

  it('reports hub metrics and the connection tests inside the timeframe', async () => {
    let now = Date.now();
    const { service, hub } = setup({ now: () => now });
    const { id } = await service.createIntegration({ providerId: 'primary', name: 'Primary' });
    await service.testConnection(id);
    await hub.execute(head);
    const metrics = await service.getMetrics(id, '1h');
    expect(metrics.provider).toMatchObject({ calls: 1, successes: 1 });
    expect(metrics.connectionTests).toMatchObject({ total: 1, healthy: 1, failed: 0 });
    expect(metrics.events.byType).toEqual({ 'integration.created': 1, 'integration.tested': 1 });
    now += 2 * 3_600_000;
    expect((await service.getMetrics(id, '1h')).events.total).toBe(0);
    expect((await service.getMetrics(id, '24h')).events.total).toBe(2);
    expect((await integrationErrorOf(service.getMetrics(id, '2h' as never))).details).toEqual({ field: 'timeframe' });
  });
});
