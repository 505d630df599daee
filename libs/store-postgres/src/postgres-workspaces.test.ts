import { randomUUID } from 'node:crypto';
import type { Store } from '@switchyard/platform';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, POSTGRES_MIGRATIONS } from './postgres-migrations';
import { createPostgresStore } from './postgres-store';
import { createWorkspaceQueries, POSTGRES_WORKSPACE_ROLE } from './postgres-workspaces';

const connectionString = process.env['SWITCHYARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Every schema this file creates starts with it, and all are dropped at the end. */
const runPrefix = `switchyard_test_${randomUUID().replaceAll('-', '').slice(0, 10)}_workspaces`;
const admin = new pg.Pool({ connectionString, max: 2 });
let count = 0;
const nextSchema = () => `${runPrefix}_${(count += 1)}`;

/** The tables under row-level security, and how a row names its workspace (directly, or through its integration). */
const WORKSPACE_TABLES = ['integrations', 'events', 'api_keys', 'webhook_subscriptions', 'webhook_outbox'] as const;
const INTEGRATION_TABLES = ['credentials', 'integration_data', 'sync_checkpoints'] as const;
const ownedBy = (table: string, workspace: string): string =>
  (INTEGRATION_TABLES as readonly string[]).includes(table) ? `integration_id = '${workspace}-github'` : `workspace_id = '${workspace}'`;

beforeAll(async () => {
  try {
    await admin.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `The @switchyard/store-postgres workspace tests need a running PostgreSQL at ${connectionString} (trust auth, database must exist), ` +
        `or SWITCHYARD_TEST_DATABASE_URL pointing at one. Connecting failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
});
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

/** Fills one workspace through its view: one row in every table under row-level security. */
async function fill(view: Store, name: string): Promise<void> {
  const integrationId = `${name}-github`;
  await view.integrations.create({ id: integrationId, providerId: 'github', name: `GitHub (${name})` });
  await view.credentials.put({ integrationId, field: 'token', keyId: 'k', iv: 'AAAA', ciphertext: 'AAAA', authTag: 'AAAA' });
  await view.records.upsert({ integrationId, entity: 'issue', externalId: '1', data: { title: name } });
  await view.checkpoints.put({ integrationId, stream: 'issues', cursor: name });
  await view.events.append({ type: 'integration.created', integrationId });
  await view.apiKeys.create({ id: `${name}-key`, workspaceId: name, name, scopes: ['read'], secretHash: 'a'.repeat(64) });
  await view.webhookSubscriptions.create({
    id: `${name}-hook`,
    workspaceId: name,
    url: `https://${name}.example/hooks`,
    eventTypes: ['*'],
  });
  await view.webhookOutbox.enqueue({
    id: `${name}-delivery`,
    subscriptionId: `${name}-hook`,
    workspaceId: name,
    eventType: 'x',
    payload: {},
  });
}

/** How many rows of `workspace` each table under row-level security shows the client's current session. */
async function countRows(client: pg.Client, schema: string, workspace: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [...WORKSPACE_TABLES, ...INTEGRATION_TABLES]) {
    // Table and workspace names are constants of this file; the schema is generated.
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) AS count FROM "${schema}".${table} WHERE ${ownedBy(table, workspace)}`,
    );
    counts[table] = Number(rows[0]?.count);
  }
  return counts;
}

/** Runs `body` as the workspace role, with `workspace` set (or nothing set), and rolls back. */
async function inSession<Result>(client: pg.Client, workspace: string | undefined, body: () => Promise<Result>): Promise<Result> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL ROLE ${POSTGRES_WORKSPACE_ROLE}`);
    if (workspace !== undefined) await client.query("SELECT set_config('switchyard.workspace_id', $1, true)", [workspace]);
    return await body();
  } finally {
    await client.query('ROLLBACK');
  }
}

const each = (value: number): Record<string, number> =>
  Object.fromEntries([...WORKSPACE_TABLES, ...INTEGRATION_TABLES].map((table) => [table, value]));

describe('postgres store: workspaces under row-level security', () => {
  it('lets a workspace session read 0 of another workspace’s rows straight from PostgreSQL, and write none', async () => {
    const schema = nextSchema();
    const store = await createPostgresStore({ connectionString, schema, maxConnections: 4 });
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await fill(store.forWorkspace('acme'), 'acme');
      await fill(store.forWorkspace('globex'), 'globex');

      await inSession(client, 'acme', async () => {
        expect(await countRows(client, schema, 'globex'), 'globex rows seen by acme').toEqual(each(0));
        expect(await countRows(client, schema, 'acme'), 'acme rows seen by acme').toEqual(each(1));
        // An insert that names no workspace gets the session's.
        const { rows } = await client.query<{ workspace_id: string }>(
          `INSERT INTO "${schema}".events (type, payload, occurred_at) VALUES ('raw', '{}', now()) RETURNING workspace_id`,
        );
        expect(rows).toEqual([{ workspace_id: 'acme' }]);
      });
      // WITH CHECK: acme cannot write a row into globex, directly or through globex's integration.
      await expect(
        inSession(client, 'acme', () =>
          client.query(
            `INSERT INTO "${schema}".integrations (id, workspace_id, provider_id, name, status, created_at, updated_at)
             VALUES ('planted', 'globex', 'github', 'Planted', 'active', now(), now())`,
          ),
        ),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        inSession(client, 'acme', () =>
          client.query(`UPDATE "${schema}".integrations SET workspace_id = 'globex' WHERE id = 'acme-github'`),
        ),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        inSession(client, 'acme', () =>
          client.query(
            `INSERT INTO "${schema}".sync_checkpoints (integration_id, stream, cursor, updated_at) VALUES ('globex-github', 'planted', 'x', now())`,
          ),
        ),
      ).rejects.toMatchObject({ code: '42501' });
      // Without a workspace set, the role sees nothing at all.
      await inSession(client, undefined, async () => {
        expect(await countRows(client, schema, 'acme')).toEqual(each(0));
        expect(await countRows(client, schema, 'globex')).toEqual(each(0));
      });
      // The same query as the table owner, without the role, sees globex's rows: the 0 above is the policies' doing.
      expect(await countRows(client, schema, 'globex'), 'globex rows seen by the owner').toEqual(each(1));
      expect((await store.integrations.list()).map((integration) => integration.workspaceId).sort()).toEqual(['acme', 'globex']);
    } finally {
      await client.end();
      await store.close();
    }
  });

  it('returns pooled connections without the role or the workspace, also after a failed statement', async () => {
    const schema = nextSchema();
    // One connection, so every call below reuses the one the workspace sessions ran on.
    const pool = new pg.Pool({ connectionString, max: 1 });
    const statements: string[] = [];
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...parameters: unknown[]) => unknown;
      (client as unknown as { query: typeof query }).query = (...parameters) => {
        if (typeof parameters[0] === 'string') statements.push(parameters[0]);
        return query(...parameters);
      };
    });
    const store = await createPostgresStore({ pool, schema });
    try {
      const acme = store.forWorkspace('acme');
      await acme.integrations.create({ id: 'acme-github', providerId: 'github', name: 'A' });
      await store.forWorkspace('globex').integrations.create({ id: 'globex-github', providerId: 'github', name: 'G' });
      statements.length = 0;
      expect((await acme.integrations.list()).map((integration) => integration.id)).toEqual(['acme-github']);
      expect(statements).toHaveLength(4);
      expect(statements[0]).toBe(`BEGIN; SET LOCAL ROLE ${POSTGRES_WORKSPACE_ROLE}`);
      expect(statements[1]).toBe("SELECT set_config('switchyard.workspace_id', $1, true)");
      expect(statements[2]).toMatch(/^SELECT \* FROM "[a-z0-9_]+"\.integrations /);
      expect(statements[3]).toBe('COMMIT');
      // The runner alone, without the view's checks in code, sees only its workspace.
      expect(await createWorkspaceQueries(pool, 'globex').query('test.list', `SELECT id FROM "${schema}".integrations`)).toEqual([
        { id: 'globex-github' },
      ]);
      await expect(createWorkspaceQueries(pool, 'acme').query('test.fails', 'SELECT * FROM nowhere')).rejects.toMatchObject({
        kind: 'provider',
      });
      await expect(
        createWorkspaceQueries(pool, 'acme').query(
          'test.plant',
          `INSERT INTO "${schema}".integrations (id, workspace_id, provider_id, name, status, created_at, updated_at)
           VALUES ('planted', 'globex', 'github', 'Planted', 'active', now(), now())`,
        ),
      ).rejects.toMatchObject({ kind: 'auth', isRetryable: false });
      expect((await acme.integrations.list()).map((integration) => integration.id)).toEqual(['acme-github']);
      await acme.close();

      const { rows } = await pool.query<{ connectingUser: boolean; workspace: string | null }>(
        `SELECT current_user = session_user AS "connectingUser", nullif(current_setting('switchyard.workspace_id', true), '') AS workspace`,
      );
      expect(rows).toEqual([{ connectingUser: true, workspace: null }]);
      expect((await store.integrations.list()).map((integration) => integration.id).sort()).toEqual(['acme-github', 'globex-github']);
      expect((await acme.integrations.list()).map((integration) => integration.id)).toEqual(['acme-github']);
    } finally {
      await store.close();
      await pool.end();
    }
  });

  it('puts integrations and events of a schema made by the first four migrations in the "default" workspace', async () => {
    const schema = nextSchema();
    const pool = new pg.Pool({ connectionString, max: 2 });
    try {
      await migratePostgres(pool, schema, POSTGRES_MIGRATIONS.slice(0, 4));
      await pool.query(
        `INSERT INTO "${schema}".integrations (id, provider_id, name, status, created_at, updated_at) VALUES ('kept', 'github', 'Kept', 'active', now(), now());
         INSERT INTO "${schema}".events (type, integration_id, payload, occurred_at) VALUES ('kept.event', 'kept', '{}', now())`,
      );
      const store = await createPostgresStore({ pool, schema });
      expect((await store.forWorkspace('default').integrations.get('kept')).workspaceId).toBe('default');
      expect((await store.forWorkspace('default').events.listRecent()).map((event) => event.type)).toEqual(['kept.event']);
      expect(await store.forWorkspace('acme').events.listRecent()).toEqual([]);
      await store.close();
    } finally {
      await pool.end();
    }
  });
});
