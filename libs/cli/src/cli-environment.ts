import { join } from 'node:path';
import { createHub, type Hub, type HubOptions, type ProviderV1 } from '@switchyard/core';
import { capabilityContracts } from '@switchyard/core/capabilities';
import type { Store } from '@switchyard/platform';
import { createSqliteStore, DEFAULT_SQLITE_PATH } from '@switchyard/store-sqlite';
import { writeLine, type CliIo } from './cli-io';
import { discoverProviderPackages, loadProvider } from './provider-discovery';

/** The environment variable that switches the CLI from SQLite to PostgreSQL. */
export const DATABASE_URL_VARIABLE = 'SWITCHYARD_DATABASE_URL';

/** The environment variable naming the PostgreSQL schema the CLI uses; default `switchyard`. */
export const DATABASE_SCHEMA_VARIABLE = 'SWITCHYARD_DATABASE_SCHEMA';

/** The ids of the two in-memory storage providers `--demo` and `quickstart` add. */
export const DEMO_PROVIDER_IDS = Object.freeze(['memory-primary', 'memory-backup'] as const);

/** The bucket the demo providers start with. */
export const DEMO_BUCKET = 'reports';

/** An opened store and a description of where it is, for messages. */
export interface CliStore {
  readonly store: Store;
  /** With PostgreSQL: its connection string, for what the deployment shares through it (pg-boss jobs). */
  readonly connectionString?: string | undefined;
  /** E.g. `SQLite .switchyard/switchyard.db` or `PostgreSQL (SWITCHYARD_DATABASE_URL)`. */
  readonly description: string;
}

/**
 * Opens PostgreSQL when `SWITCHYARD_DATABASE_URL` is set (in the schema
 * `SWITCHYARD_DATABASE_SCHEMA`, default `switchyard`), and otherwise the
 * SQLite file `.switchyard/switchyard.db` under the working directory.
 */
export async function openCliStore(io: CliIo): Promise<CliStore> {
  const connectionString = io.env[DATABASE_URL_VARIABLE];
  if (connectionString !== undefined && connectionString !== '') {
    const { createPostgresStore } = await import('@switchyard/store-postgres');
    const schema = io.env[DATABASE_SCHEMA_VARIABLE] || undefined;
    return {
      store: await createPostgresStore({ connectionString, schema }),
      connectionString,
      description: `PostgreSQL (${DATABASE_URL_VARIABLE}${schema === undefined ? '' : `, schema ${schema}`})`,
    };
  }
  return { store: createSqliteStore({ path: join(io.cwd, DEFAULT_SQLITE_PATH) }), description: `SQLite ${DEFAULT_SQLITE_PATH}` };
}

/**
 * The two in-memory storage providers of the demo, from `@switchyard/core/testing`
 * (imported only when asked for: it is a test kit, not needed otherwise).
 */
export async function createDemoProviders(): Promise<ProviderV1[]> {
  const { createMemoryStorageProvider } = await import('@switchyard/core/testing');
  return DEMO_PROVIDER_IDS.map((id) => createMemoryStorageProvider({ id, buckets: [DEMO_BUCKET] }));
}

/** What {@link createCliHub} adds besides the discovered providers. */
export interface CliHubOptions {
  /** Add the in-memory demo providers. Default false. */
  readonly demo?: boolean | undefined;
  /** Providers a host embedding the CLI passes in. Default none. */
  readonly providers?: readonly ProviderV1[] | undefined;
  /** Hub options besides `providers`. Default none. */
  readonly hub?: Omit<HubOptions, 'providers'> | undefined;
}

/**
 * A hub over every installed provider package (found through package.json
 * discovery and created with its factory), plus the demo and given providers.
 * A package that fails to load is reported on stderr and skipped.
 */
export async function createCliHub(io: CliIo, options: CliHubOptions = {}): Promise<Hub> {
  // The CLI routes whatever installed packages offer, so it knows every contract core defines up front.
  const hub = createHub({ capabilities: capabilityContracts, ...options.hub });
  const register = (provider: ProviderV1, origin: string): void => {
    try {
      hub.register(provider);
    } catch (error) {
      writeLine(io.stderr, `warning: skipped provider from ${origin}: ${(error as Error).message}`);
    }
  };
  for (const found of discoverProviderPackages(io.cwd, io.cliDirectory)) {
    try {
      register(await loadProvider(found), found.packageName);
    } catch (error) {
      writeLine(io.stderr, `warning: could not load ${found.packageName}: ${(error as Error).message}`);
    }
  }
  for (const provider of options.providers ?? []) register(provider, 'the host');
  if (options.demo === true) for (const provider of await createDemoProviders()) register(provider, '--demo');
  return hub;
}
