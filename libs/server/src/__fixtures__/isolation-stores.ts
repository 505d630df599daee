import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, type Store } from '@switchyard/platform';
import { createPostgresStore } from '@switchyard/store-postgres';
import { createSqliteStore } from '@switchyard/store-sqlite';
import pg from 'pg';

/** A store for one test, and how to remove it. */
export interface OpenedStore {
  readonly store: Store;
  readonly close: () => Promise<void>;
}

const connectionString = process.env['SWITCHYARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The stores the workspace tests run on: memory, SQLite in a temporary file, and PostgreSQL in a schema of its own (dropped after). */
export function isolationStores(): [string, () => Promise<OpenedStore>][] {
  return [
    ['the memory store', () => Promise.resolve({ store: createMemoryStore(), close: () => Promise.resolve() })],
    [
      'SQLite',
      () => {
        const directory = mkdtempSync(join(tmpdir(), 'switchyard-isolation-'));
        const store = createSqliteStore({ path: join(directory, 'switchyard.db') });
        return Promise.resolve({
          store,
          close: async () => {
            await store.close();
            rmSync(directory, { recursive: true, force: true });
          },
        });
      },
    ],
    [
      'PostgreSQL (row-level security)',
      async () => {
        const schema = `switchyard_server_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
        let store: Store;
        try {
          store = await createPostgresStore({ connectionString, schema, maxConnections: 4 });
        } catch (error) {
          throw new Error(
            `The PostgreSQL workspace test needs PostgreSQL at ${connectionString} (trust auth, database test): ${String(error)}`,
            {
              cause: error,
            },
          );
        }
        return {
          store,
          close: async () => {
            await store.close();
            const admin = new pg.Client({ connectionString });
            await admin.connect();
            // The name is generated above, never input.
            await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => admin.end());
          },
        };
      },
    ],
  ];
}
