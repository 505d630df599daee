import type pg from 'pg';
import { createQueriesOver, inPoolTransaction, type PostgresQueries } from './postgres-queries';
import type { Row } from './postgres-rows';

/**
 * The role a workspace session runs as (created by migration 5 when missing,
 * and granted to the connecting user). It holds no rights of its own beyond
 * the store schema's tables, and the row-level security policies of the
 * workspace tables apply to it: it sees the rows whose workspace is the
 * session's `switchyard.workspace_id` setting, and writes only such rows.
 */
export const POSTGRES_WORKSPACE_ROLE = 'switchyard_workspace';

/**
 * Runs `body` on one pooled connection inside a transaction that first
 * switches to {@link POSTGRES_WORKSPACE_ROLE} (`SET LOCAL ROLE`) and sets
 * `switchyard.workspace_id` for the transaction only, then commits (or rolls
 * back when `body` throws). Both end with the transaction, so the connection
 * goes back to the pool as the connecting user with no workspace; one that
 * cannot even roll back is destroyed instead of returned. Statements that
 * must be atomic together go in one `body`.
 */
export async function inWorkspaceSession<Result>(
  pool: pg.Pool,
  workspaceId: string,
  body: (client: pg.PoolClient) => Promise<Result>,
): Promise<Result> {
  // BEGIN and the role switch in one round trip: no parameters, so the simple protocol runs them as a batch. The role name is a constant.
  return inPoolTransaction(
    pool,
    async (client) => {
      await client.query("SELECT set_config('switchyard.workspace_id', $1, true)", [workspaceId]);
      return body(client);
    },
    `BEGIN; SET LOCAL ROLE ${POSTGRES_WORKSPACE_ROLE}`,
  );
}

/**
 * {@link PostgresQueries} on `pool` for one workspace: every statement runs in
 * its own {@link inWorkspaceSession}, so row-level security keyed by
 * `workspaceId` decides what it reads and writes.
 */
export function createWorkspaceQueries(pool: pg.Pool, workspaceId: string): PostgresQueries {
  return createQueriesOver(
    (sql, values) => inWorkspaceSession(pool, workspaceId, async (client) => (await client.query<Row>(sql, values)).rows),
    (body) => inWorkspaceSession(pool, workspaceId, body),
  );
}
