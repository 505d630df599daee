import { randomUUID } from 'node:crypto';
import { createHub, type Hub } from '@switchyard/core';
import {
  ALERT_EVENT_TYPES,
  createAlerts,
  createTimerAlertChecks,
  type AlertCheckScheduler,
  type Alerts,
  type Store,
} from '@switchyard/platform';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgBossAlertChecks } from './pg-boss-alert-checks';
import { createPostgresStore } from './postgres-store';

const connectionString = process.env['SWITCHYARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const suffix = randomUUID().replaceAll('-', '').slice(0, 10);
const jobsSchema = `switchyard_test_alerts_jobs_${suffix}`;
const schemas: string[] = [];
const admin = new pg.Pool({ connectionString, max: 1 });
const running: Array<{ alerts: Alerts; hub: Hub }> = [];
const stores: Store[] = [];

beforeAll(async () => {
  try {
    await admin.query('SELECT 1');
  } catch (error) {
    throw new Error(`These tests need PostgreSQL at ${connectionString} (or SWITCHYARD_TEST_DATABASE_URL): ${String(error)}`, {
      cause: error,
    });
  }
});

afterEach(async () => {
  await Promise.allSettled(running.splice(0).flatMap(({ alerts, hub }) => [alerts.close(), hub.close()]));
  await Promise.allSettled(stores.splice(0).map((store) => store.close()));
});

afterAll(async () => {
  // The names are made here from a UUID, never input.
  for (const schema of [...schemas, jobsSchema]) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await admin.end().catch(() => undefined);
});

/** Two "processes" (each its own hub and alerts, one shared store) checking a failed-syncs rule every `intervalMs`. */
async function twoProcesses(scheduler: () => AlertCheckScheduler, intervalMs: number) {
  const schema = `switchyard_test_alerts_${suffix}_${schemas.length + 1}`;
  schemas.push(schema);
  const store = await createPostgresStore({ connectionString, schema, maxConnections: 4 });
  stores.push(store);
  const integration = await store.integrations.create({ providerId: 'github', name: 'GitHub (acme)' });
  for (let process = 0; process < 2; process += 1) {
    const hub = createHub();
    const alerts = createAlerts({
      hub,
      store,
      rules: [{ kind: 'failedSyncs', count: 2, severity: 'medium' }],
      checkIntervalMs: intervalMs,
      scheduler: scheduler(),
    });
    running.push({ alerts, hub });
  }
  const count = async (type: string) => (await store.events.listRecent({ type, limit: 100 })).length;
  return { store, integration, count };
}

describe('alert checks as pg-boss jobs, two processes sharing PostgreSQL', () => {
  it('raises an alert once and resolves it once, however many processes check', async () => {
    const { store, integration, count } = await twoProcesses(
      () => createPgBossAlertChecks({ connectionString, schema: jobsSchema, pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 2 }),
      1_000,
    );
    for (let failure = 0; failure < 2; failure += 1) {
      await store.events.append({
        type: 'sync.failed',
        integrationId: integration.id,
        payload: { error: { kind: 'auth', message: 'token revoked' } },
      });
    }
    await expect.poll(() => count(ALERT_EVENT_TYPES.raised), { timeout: 30_000, interval: 200 }).toBe(1);
    // Several more checks, by either process.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(await count(ALERT_EVENT_TYPES.raised), 'raised by one check only').toBe(1);

    await store.events.append({ type: 'sync.completed', integrationId: integration.id, payload: {} });
    await expect.poll(() => count(ALERT_EVENT_TYPES.resolved), { timeout: 30_000, interval: 200 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await count(ALERT_EVENT_TYPES.resolved), 'resolved once').toBe(1);
    expect(await count(ALERT_EVENT_TYPES.raised)).toBe(1);
  }, 90_000);

  it('the check can fail: with each process on its own timer, both raise the same alert', async () => {
    const { store, integration, count } = await twoProcesses(() => createTimerAlertChecks(), 200);
    for (let failure = 0; failure < 2; failure += 1) {
      await store.events.append({
        type: 'sync.failed',
        integrationId: integration.id,
        payload: { error: { kind: 'auth', message: 'token revoked' } },
      });
    }
    await expect.poll(() => count(ALERT_EVENT_TYPES.raised), { timeout: 10_000, interval: 100 }).toBe(2);
  }, 30_000);
});
