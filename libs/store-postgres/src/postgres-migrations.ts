import { IntegrationError } from '@switchyard/core';
import type { Pool } from 'pg';

const timestamps = 'created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL';

/** Row-level security on a table with a `workspace_id`: the workspace role sees and writes the session's workspace's rows. */
const workspaceRows = (table: string): string => `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
  CREATE POLICY workspace_rows ON ${table} TO switchyard_workspace
    USING (workspace_id = current_setting('switchyard.workspace_id', true))
    WITH CHECK (workspace_id = current_setting('switchyard.workspace_id', true));`;

/**
 * Row-level security on a table of an integration's rows: the workspace role
 * sees and writes the rows of integrations it sees (the subquery on
 * integrations is itself under integrations' policy for this role).
 */
const integrationRows = (table: string): string => `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
  CREATE POLICY workspace_rows ON ${table} TO switchyard_workspace
    USING (EXISTS (SELECT 1 FROM integrations i WHERE i.id = ${table}.integration_id))
    WITH CHECK (EXISTS (SELECT 1 FROM integrations i WHERE i.id = ${table}.integration_id));`;

/**
 * The schema, as ordered migrations. They name tables without a schema: the
 * runner applies them with `search_path` set to the store's schema. Migration
 * `n` (1-based) is applied once and recorded in `schema_migrations`. Append
 * new migrations; never edit one that has shipped.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE integrations (
    id text PRIMARY KEY,
    provider_id text NOT NULL,
    name text NOT NULL,
    settings jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL CHECK (status IN ('active', 'paused', 'error', 'disabled')),
    ${timestamps}
  );
  CREATE INDEX integrations_provider_status_index ON integrations (provider_id, status);
  CREATE INDEX integrations_created_index ON integrations (created_at, id);

  CREATE TABLE integration_registry (
    provider_id text PRIMARY KEY, package_name text NOT NULL, version text NOT NULL, manifest jsonb NOT NULL DEFAULT '{}', ${timestamps}
  );

  CREATE TABLE credentials (
    integration_id text NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    field text NOT NULL,
    key_id text NOT NULL,
    iv text NOT NULL,
    ciphertext text NOT NULL,
    auth_tag text NOT NULL,
    version integer NOT NULL CHECK (version > 0),
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (integration_id, field)
  );
  CREATE INDEX credentials_key_index ON credentials (key_id);

  CREATE TABLE data_mappings (id text PRIMARY KEY, name text NOT NULL, definition jsonb NOT NULL, ${timestamps});
  CREATE INDEX data_mappings_name_index ON data_mappings (name, id);
  CREATE TABLE mapping_templates (id text PRIMARY KEY, name text NOT NULL, definition jsonb NOT NULL, ${timestamps});
  CREATE INDEX mapping_templates_name_index ON mapping_templates (name, id);

  CREATE TABLE integration_data (
    integration_id text NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    entity text NOT NULL,
    external_id text NOT NULL,
    data jsonb NOT NULL,
    hash text NOT NULL,
    ${timestamps},
    PRIMARY KEY (integration_id, entity, external_id)
  );

  CREATE TABLE sync_checkpoints (
    integration_id text NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    stream text NOT NULL,
    cursor text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (integration_id, stream)
  );

  CREATE TABLE webhook_deliveries (
    provider_id text NOT NULL, delivery_id text NOT NULL, integration_id text, received_at timestamptz NOT NULL,
    PRIMARY KEY (provider_id, delivery_id)
  );
  CREATE INDEX webhook_deliveries_received_index ON webhook_deliveries (received_at);

  CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL,
    integration_id text,
    payload jsonb NOT NULL,
    occurred_at timestamptz NOT NULL
  );
  CREATE INDEX events_type_index ON events (type, id);
  CREATE INDEX events_integration_index ON events (integration_id, id);
  `,
  // 2: placement records and repair hints (the hub's PlacementStore). Times are epoch milliseconds.
  `
  CREATE TABLE placements (
    capability text NOT NULL,
    resource_key text NOT NULL,
    holders jsonb NOT NULL,
    write_id text NOT NULL,
    deleted boolean NOT NULL,
    updated_at_ms bigint NOT NULL,
    PRIMARY KEY (capability, resource_key)
  );

  -- sequence_number orders hints with the same created_at_ms by when they were added (or last replaced).
  CREATE TABLE placement_hints (
    capability text NOT NULL,
    resource_key text NOT NULL,
    provider text NOT NULL,
    action text NOT NULL CHECK (action IN ('copy', 'delete')),
    write_id text NOT NULL,
    created_at_ms bigint NOT NULL,
    sequence_number bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (capability, resource_key, provider)
  );
  CREATE INDEX placement_hints_provider_index ON placement_hints (provider, created_at_ms, sequence_number);
  `,
  // 3: API keys, hashed (the store's apiKeys). scopes is a JSON array of scope names.
  `
  CREATE TABLE api_keys (
    id text PRIMARY KEY,
    workspace_id text NOT NULL,
    name text NOT NULL,
    scopes jsonb NOT NULL CHECK (jsonb_typeof(scopes) = 'array'),
    secret_hash text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz
  );
  CREATE INDEX api_keys_workspace_created_index ON api_keys (workspace_id, created_at, id COLLATE "C");
  `,
  // 4: outbound webhooks: subscriptions, and the outbox (queue and delivery log). event_types is a JSON array;
  // sequence_number orders deliveries enqueued in the same microsecond.
  `
  CREATE TABLE webhook_subscriptions (
    id text PRIMARY KEY,
    workspace_id text NOT NULL,
    url text NOT NULL,
    event_types jsonb NOT NULL CHECK (jsonb_typeof(event_types) = 'array'),
    description text NOT NULL,
    enabled boolean NOT NULL,
    secret text NOT NULL,
    ${timestamps}
  );
  CREATE INDEX webhook_subscriptions_workspace_created_index ON webhook_subscriptions (workspace_id, created_at, id COLLATE "C");

  CREATE TABLE webhook_outbox (
    id text PRIMARY KEY,
    subscription_id text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    workspace_id text NOT NULL,
    event_type text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'delivering', 'delivered', 'failed')),
    attempts integer NOT NULL CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL,
    lease_expires_at timestamptz,
    last_attempt_at timestamptz,
    last_status integer,
    last_error text,
    ${timestamps},
    sequence_number bigint GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX webhook_outbox_pending_index ON webhook_outbox (next_attempt_at) WHERE status = 'pending';
  CREATE INDEX webhook_outbox_delivering_index ON webhook_outbox (lease_expires_at) WHERE status = 'delivering';
  CREATE INDEX webhook_outbox_subscription_index ON webhook_outbox (subscription_id, created_at, sequence_number);
  CREATE INDEX webhook_outbox_created_index ON webhook_outbox (created_at, sequence_number);
  `,
  // 5: workspaces, enforced by row-level security. Integrations and events get a workspace (rows from before: 'default';
  // rows inserted in a workspace session without one: the session's). The role switchyard_workspace is cluster-wide:
  // created once (the advisory lock serializes schemas migrating at once) and granted to the connecting user so it may
  // SET ROLE to it; it gets the schema's tables, schema_migrations read-only. Workspace tables admit it only to rows of
  // the session's switchyard.workspace_id (current_setting(..., true): unset is NULL, which matches nothing); the
  // tables of an integration only to rows whose integration it sees. RLS is enabled, not forced: the owner (the store's
  // own connection) sees everything. Shared tables (registry, mappings, templates, inbound deliveries, placements) have none.
  `
  ALTER TABLE integrations ADD COLUMN workspace_id text NOT NULL
    DEFAULT coalesce(nullif(current_setting('switchyard.workspace_id', true), ''), 'default');
  CREATE INDEX integrations_workspace_created_index ON integrations (workspace_id, created_at, id COLLATE "C");
  ALTER TABLE events ADD COLUMN workspace_id text NOT NULL
    DEFAULT coalesce(nullif(current_setting('switchyard.workspace_id', true), ''), 'default');
  CREATE INDEX events_workspace_index ON events (workspace_id, id);
  CREATE INDEX webhook_outbox_workspace_created_index ON webhook_outbox (workspace_id, created_at, sequence_number);

  SELECT pg_advisory_xact_lock(hashtext('switchyard.workspace_role'));
  DO $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switchyard_workspace') THEN
      CREATE ROLE switchyard_workspace NOLOGIN;
    END IF;
    IF NOT pg_has_role(current_user, 'switchyard_workspace', 'MEMBER') THEN
      GRANT switchyard_workspace TO CURRENT_USER;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO switchyard_workspace', current_schema());
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO switchyard_workspace', current_schema());
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO switchyard_workspace', current_schema());
  END
  $$;
  REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM switchyard_workspace;

  ${workspaceRows('integrations')}
  ${workspaceRows('events')}
  ${workspaceRows('api_keys')}
  ${workspaceRows('webhook_subscriptions')}
  ${workspaceRows('webhook_outbox')}

  -- The subquery on integrations is itself under integrations' policy for this role.
  ${integrationRows('credentials')}
  ${integrationRows('integration_data')}
  ${integrationRows('sync_checkpoints')}
  `,
  // 6: sync. One lease per integration (timed by the database's clock, so processes on several machines agree), dead
  // letters, and the ids each batch of a full pass saw (one row per batch, so unchanged records are never rewritten),
  // from which the end of the pass finds the records that are gone; under the workspace policies too.
  `
  CREATE TABLE sync_pass_seen (
    id bigserial PRIMARY KEY,
    integration_id text NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    entity text NOT NULL,
    pass text NOT NULL,
    external_ids text[] NOT NULL
  );
  CREATE INDEX sync_pass_seen_pass_index ON sync_pass_seen (integration_id, entity, pass);
  CREATE TABLE sync_leases (
    integration_id text PRIMARY KEY REFERENCES integrations (id) ON DELETE CASCADE,
    owner text NOT NULL,
    expires_at timestamptz NOT NULL
  );
  CREATE TABLE sync_dead_letters (
    id bigserial PRIMARY KEY,
    integration_id text NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    entity text NOT NULL,
    external_id text,
    reason text NOT NULL,
    data jsonb NOT NULL,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX sync_dead_letters_integration_index ON sync_dead_letters (integration_id, id);
  GRANT SELECT, INSERT, UPDATE, DELETE ON sync_leases, sync_dead_letters, sync_pass_seen TO switchyard_workspace;
  GRANT USAGE, SELECT ON SEQUENCE sync_dead_letters_id_seq, sync_pass_seen_id_seq TO switchyard_workspace;
  ${integrationRows('sync_leases')}
  ${integrationRows('sync_dead_letters')}
  ${integrationRows('sync_pass_seen')}
  `,
  // 7: the event log by time, for queries by time range and for pruning by retention.
  `
  CREATE INDEX events_occurred_index ON events (occurred_at);
  `,
];

/** PostgreSQL identifiers a store schema may use: lowercase letters, digits and `_`, at most 63 characters. */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a schema name checked against {@link SCHEMA_NAME_PATTERN}. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME_PATTERN.test(schema)) {
    throw new IntegrationError({
      kind: 'validation',
      message: `createPostgresStore: schema "${schema}" is not lowercase letters, digits and "_" (at most 63, not starting with a digit)`,
    });
  }
  return `"${schema}"`;
}

/**
 * Creates the schema when missing and applies the migrations it has not seen
 * yet, in one transaction under an advisory lock, so several processes
 * starting at once migrate exactly once.
 */
export async function migratePostgres(pool: Pool, schema: string, migrations: readonly string[] = POSTGRES_MIGRATIONS): Promise<void> {
  const quoted = quoteSchema(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`switchyard.migrate.${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(`SET LOCAL search_path TO ${quoted}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
    const applied = rows[0]?.version ?? 0;
    for (const [index, sql] of migrations.entries()) {
      if (index + 1 <= applied) continue;
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
