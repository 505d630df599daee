import { randomUUID } from 'node:crypto';
import { expectWebhooksSurviveRestart } from '@switchyard/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from './postgres-store';

const connectionString = process.env['SWITCHYARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Every schema this file creates starts with it, and all are dropped at the end. */
const runPrefix = `switchyard_test_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
const admin = new pg.Pool({ connectionString, max: 2 });
let count = 0;
const nextSchema = () => `${runPrefix}_webhooks_${(count += 1)}`;

afterAll(async () => {
  try {
    const { rows } = await admin
      .query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)', [runPrefix])
      .catch(() => ({ rows: [] }));
    // The names are generated above from a UUID and a counter, never input.
    for (const { name } of rows) await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await admin.end();
  }
});

describe('postgres store: outbound webhooks', () => {
  it('delivers every queued delivery exactly once after a new store and dispatcher take over', { timeout: 70_000 }, async () => {
    const schema = nextSchema();
    await expectWebhooksSurviveRestart({ open: () => createPostgresStore({ connectionString, schema, maxConnections: 4 }) });
  });

  it('never hands one delivery to two stores (two pools) claiming at once', async () => {
    const schema = nextSchema();
    const [left, right] = await Promise.all([
      createPostgresStore({ connectionString, schema, maxConnections: 4 }),
      createPostgresStore({ connectionString, schema, maxConnections: 4 }),
    ]);
    try {
      await left.webhookSubscriptions.create({ id: 's1', workspaceId: 'acme', url: 'https://hooks.example.com', eventTypes: ['*'] });
      for (let index = 0; index < 60; index += 1) {
        await left.webhookOutbox.enqueue({ subscriptionId: 's1', workspaceId: 'acme', eventType: 'x', payload: { index } });
      }
      const now = new Date(Date.now() + 1000).toISOString();
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          (index % 2 === 0 ? left : right).webhookOutbox.claimDue({ now, limit: 8, leaseMs: 60_000 }),
        ),
      );
      const ids = claims.flat().map((delivery) => delivery.id);
      expect(new Set(ids).size, 'no delivery handed out twice').toBe(ids.length);
      expect(ids.length, 'SKIP LOCKED may leave some for a later claim, but the claims cover most').toBeGreaterThan(0);
      const rest = await left.webhookOutbox.claimDue({ now, limit: 100, leaseMs: 60_000 });
      expect(new Set([...ids, ...rest.map((delivery) => delivery.id)]).size).toBe(60);
    } finally {
      await Promise.all([left.close(), right.close()]);
    }
  });
});
