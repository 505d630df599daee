import { IntegrationError, loadOptionalSetting, toIntegrationError } from '@switchyard/core';
import { storeNotFound } from '@switchyard/platform/store-kit';
import pg from 'pg';
import type { Row } from './postgres-rows';

const FOREIGN_KEY_VIOLATION = '23503';
/** `insufficient_privilege`: in a workspace session, a row-level security policy refused a write. */
const INSUFFICIENT_PRIVILEGE = '42501';

/** Parameterized queries whose failures are `IntegrationError`s naming the store operation. */
export interface PostgresQueries {
  /**
   * Every row. A foreign-key violation (a missing integration) is `not_found`,
   * a refused privilege (a row-level security policy) is `auth`; anything
   * else goes through `toIntegrationError`.
   */
  readonly query: (operation: string, sql: string, values?: unknown[]) => Promise<Row[]>;
  /** The first row, or `undefined`. */
  readonly one: (operation: string, sql: string, values?: unknown[]) => Promise<Row | undefined>;
  /** The row an `INSERT ... RETURNING` wrote; none is a `provider` error. */
  readonly written: (operation: string, sql: string, values: unknown[]) => Promise<Row>;
  /**
   * Runs `body` in one transaction on one connection: committed when it
   * resolves, rolled back when it throws. Inside, `body`'s queries are that
   * connection's; a transaction inside a transaction is the same one.
   */
  readonly transaction: <Result>(body: (queries: PostgresQueries) => Promise<Result>) => Promise<Result>;
}

/** Runs `body` with one connection inside a transaction, and ends the transaction. */
export type TransactionRunner = <Result>(body: (client: pg.PoolClient) => Promise<Result>) => Promise<Result>;

/** Runs one statement and returns its rows; how (straight on the pool, or in a workspace session) is up to the runner. */
export type StatementRunner = (sql: string, values: unknown[]) => Promise<Row[]>;

/** Binds {@link PostgresQueries} to a pool: each statement runs on it as it is, with the connecting user's rights. */
export function createQueries(pool: pg.Pool): PostgresQueries {
  return createQueriesOver(
    async (sql, values) => (await pool.query<Row>(sql, values)).rows,
    (body) => inPoolTransaction(pool, body),
  );
}

/**
 * Runs `body` on one pooled connection between `begin` and `COMMIT` (or
 * `ROLLBACK` when it throws). A connection that cannot even roll back is
 * destroyed instead of returned to the pool.
 *
 * @param begin - what opens the transaction: `BEGIN`, or `BEGIN` and more statements without parameters (one round trip).
 */
export async function inPoolTransaction<Result>(
  pool: pg.Pool,
  body: (client: pg.PoolClient) => Promise<Result>,
  begin = 'BEGIN',
): Promise<Result> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** {@link PostgresQueries} on one connection already inside a transaction. */
function createClientQueries(client: pg.PoolClient): PostgresQueries {
  const queries: PostgresQueries = createQueriesOver(
    async (sql, values) => (await client.query<Row>(sql, values)).rows,
    (body) => body(client),
  );
  return queries;
}

/** {@link PostgresQueries} whose statements go through `run`. */
export function createQueriesOver(run: StatementRunner, inTransaction: TransactionRunner): PostgresQueries {
  async function query(operation: string, sql: string, values: unknown[] = []): Promise<Row[]> {
    try {
      return await run(sql, values);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === FOREIGN_KEY_VIOLATION) throw storeNotFound(operation, 'integration');
      if (code === INSUFFICIENT_PRIVILEGE)
        throw new IntegrationError({ kind: 'auth', message: `${operation}: ${(error as Error).message}`, operation, cause: error });
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
  const transaction = <Result>(body: (queries: PostgresQueries) => Promise<Result>): Promise<Result> =>
    inTransaction((client) => body(createClientQueries(client)));
  return { query, one, written, transaction };
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
