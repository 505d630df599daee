import { IntegrationError, loadOptionalSetting, toIntegrationError } from '@switchyard/core';
import { storeNotFound } from '@switchyard/platform/store-kit';
import pg from 'pg';
import type { Row } from './postgres-rows';

const FOREIGN_KEY_VIOLATION = '23503';

/** Parameterized queries whose failures are `IntegrationError`s naming the store operation. */
export interface PostgresQueries {
  /** Every row. A foreign-key violation (a missing integration) is `not_found`; anything else goes through `toIntegrationError`. */
  readonly query: (operation: string, sql: string, values?: unknown[]) => Promise<Row[]>;
  /** The first row, or `undefined`. */
  readonly one: (operation: string, sql: string, values?: unknown[]) => Promise<Row | undefined>;
  /** The row an `INSERT ... RETURNING` wrote; none is a `provider` error. */
  readonly written: (operation: string, sql: string, values: unknown[]) => Promise<Row>;
}

/** Binds {@link PostgresQueries} to a pool. */
export function createQueries(pool: pg.Pool): PostgresQueries {
  async function query(operation: string, sql: string, values: unknown[] = []): Promise<Row[]> {
    try {
      return (await pool.query<Row>(sql, values)).rows;
    } catch (error) {
      if ((error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) throw storeNotFound(operation, 'integration');
      throw toIntegrationError(error, { operation });
    }
  }
  async function one(operation: string, sql: string, values: unknown[] = []): Promise<Row | undefined> {
    return (await query(operation, sql, values))[0];
  }
  async function written(operation: string, sql: string, values: unknown[]): Promise<Row> {
    const row = await one(operation, sql, values);
    if (row === undefined)
      throw new IntegrationError({ kind: 'provider', message: `${operation}: PostgreSQL returned no row for a write`, operation });
    return row;
  }
  return { query, one, written };
}

/**
 * The pool a store creates when it is not given one: `connectionString`,
 * else the `DATABASE_URL` environment variable, else a `validation` error.
 */
export function createPool(settings: {
  readonly connectionString?: string | undefined;
  readonly maxConnections?: number | undefined;
}): pg.Pool {
  const connectionString = loadOptionalSetting({ settingValue: settings.connectionString, environmentVariableName: 'DATABASE_URL' });
  if (connectionString === undefined) {
    throw new IntegrationError({
      kind: 'validation',
      message: 'createPostgresStore needs a connection: pass `connectionString` or `pool`, or set the DATABASE_URL environment variable',
    });
  }
  return new pg.Pool({ connectionString, max: settings.maxConnections ?? 10 });
}
