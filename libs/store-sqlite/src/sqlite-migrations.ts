import type { DatabaseSync } from 'node:sqlite';

const timestamps = 'created_at TEXT NOT NULL, updated_at TEXT NOT NULL';

/**
 * The schema, as ordered migrations: migration `n` (1-based) is applied once,
 * in a transaction, and recorded in `schema_migrations`. Append new
 * migrations; never edit one that has shipped.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE integrations (
    id TEXT PRIMARY KEY, provider_id TEXT NOT NULL, name TEXT NOT NULL, settings TEXT NOT NULL, status TEXT NOT NULL, ${timestamps}
  ) STRICT;
  CREATE INDEX integrations_provider_status_index ON integrations (provider_id, status);
  CREATE INDEX integrations_created_index ON integrations (created_at, id);

  CREATE TABLE integration_registry (
    provider_id TEXT PRIMARY KEY, package_name TEXT NOT NULL, version TEXT NOT NULL, manifest TEXT NOT NULL, ${timestamps}
  ) STRICT;

  CREATE TABLE credentials (
    integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    field TEXT NOT NULL, key_id TEXT NOT NULL, iv TEXT NOT NULL, ciphertext TEXT NOT NULL, auth_tag TEXT NOT NULL,
    version INTEGER NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (integration_id, field)
  ) STRICT;
  CREATE INDEX credentials_key_index ON credentials (key_id);

  CREATE TABLE data_mappings (id TEXT PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL, ${timestamps}) STRICT;
  CREATE INDEX data_mappings_name_index ON data_mappings (name, id);
  CREATE TABLE mapping_templates (id TEXT PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL, ${timestamps}) STRICT;
  CREATE INDEX mapping_templates_name_index ON mapping_templates (name, id);

  CREATE TABLE integration_data (
    integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    entity TEXT NOT NULL, external_id TEXT NOT NULL, data TEXT NOT NULL, hash TEXT NOT NULL, ${timestamps},
    PRIMARY KEY (integration_id, entity, external_id)
  ) STRICT;

  CREATE TABLE sync_checkpoints (
    integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    stream TEXT NOT NULL, cursor TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (integration_id, stream)
  ) STRICT;

  CREATE TABLE webhook_deliveries (
    provider_id TEXT NOT NULL, delivery_id TEXT NOT NULL, integration_id TEXT, received_at TEXT NOT NULL,
    PRIMARY KEY (provider_id, delivery_id)
  ) STRICT;
  CREATE INDEX webhook_deliveries_received_index ON webhook_deliveries (received_at);

  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, integration_id TEXT, payload TEXT NOT NULL, occurred_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX events_type_index ON events (type, id);
  CREATE INDEX events_integration_index ON events (integration_id, id);
  `,
  // 2: placement records and repair hints (the hub's PlacementStore). Times are epoch milliseconds.
  `
  CREATE TABLE placements (
    capability TEXT NOT NULL, resource_key TEXT NOT NULL, holders TEXT NOT NULL, write_id TEXT NOT NULL,
    deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)), updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (capability, resource_key)
  ) STRICT;

  -- A hint replaced by addHint is deleted and inserted again (INSERT OR REPLACE), so its rowid
  -- orders hints added at the same created_at_ms; the index holds the rowid too.
  CREATE TABLE placement_hints (
    capability TEXT NOT NULL, resource_key TEXT NOT NULL, provider TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('copy', 'delete')), write_id TEXT NOT NULL, created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (capability, resource_key, provider)
  ) STRICT;
  CREATE INDEX placement_hints_provider_index ON placement_hints (provider, created_at_ms);
  `,
  // 3: API keys, hashed (the store's apiKeys). Times are ISO 8601 text in UTC (toISOString()), so they sort as text; scopes is a JSON array.
  `
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, name TEXT NOT NULL, scopes TEXT NOT NULL, secret_hash TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT, last_used_at TEXT
  ) STRICT;
  CREATE INDEX api_keys_workspace_created_index ON api_keys (workspace_id, created_at, id);
  `,
  // 4: outbound webhooks: subscriptions, and the outbox (queue and delivery log). Times are ISO 8601 text in UTC;
  // event_types is a JSON array. The outbox's rowid orders deliveries enqueued in the same millisecond.
  `
  CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, url TEXT NOT NULL, event_types TEXT NOT NULL, description TEXT NOT NULL,
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)), secret TEXT NOT NULL, ${timestamps}
  ) STRICT;
  CREATE INDEX webhook_subscriptions_workspace_created_index ON webhook_subscriptions (workspace_id, created_at, id);

  CREATE TABLE webhook_outbox (
    id TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL, event_type TEXT NOT NULL, payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivering', 'delivered', 'failed')),
    attempts INTEGER NOT NULL, next_attempt_at TEXT NOT NULL, lease_expires_at TEXT,
    last_attempt_at TEXT, last_status INTEGER, last_error TEXT, ${timestamps}
  ) STRICT;
  CREATE INDEX webhook_outbox_pending_index ON webhook_outbox (next_attempt_at) WHERE status = 'pending';
  CREATE INDEX webhook_outbox_delivering_index ON webhook_outbox (lease_expires_at) WHERE status = 'delivering';
  CREATE INDEX webhook_outbox_subscription_index ON webhook_outbox (subscription_id, created_at);
  CREATE INDEX webhook_outbox_created_index ON webhook_outbox (created_at);
  `,
  // 5: workspaces. Integrations (and through them their credentials, records and checkpoints) and events belong to one;
  // rows from before belong to 'default'. The indexes serve the workspace filters of the lists.
  `
  ALTER TABLE integrations ADD COLUMN workspace_id TEXT NOT NULL DEFAULT 'default';
  CREATE INDEX integrations_workspace_created_index ON integrations (workspace_id, created_at, id);
  ALTER TABLE events ADD COLUMN workspace_id TEXT NOT NULL DEFAULT 'default';
  CREATE INDEX events_workspace_index ON events (workspace_id, id);
  CREATE INDEX webhook_outbox_workspace_created_index ON webhook_outbox (workspace_id, created_at);
  `,
  // 6: sync. One lease per integration, dead letters, and the ids each batch of a full pass saw (one row per batch,
  // so unchanged records are never rewritten), from which the end of the pass finds the records that are gone.
  `
  CREATE TABLE sync_pass_seen (
    id INTEGER PRIMARY KEY,
    integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    entity TEXT NOT NULL, pass TEXT NOT NULL, external_ids TEXT NOT NULL
  ) STRICT;
  CREATE INDEX sync_pass_seen_pass_index ON sync_pass_seen (integration_id, entity, pass);
  CREATE TABLE sync_leases (
    integration_id TEXT PRIMARY KEY REFERENCES integrations (id) ON DELETE CASCADE,
    owner TEXT NOT NULL, expires_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE sync_dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    entity TEXT NOT NULL, external_id TEXT, reason TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX sync_dead_letters_integration_index ON sync_dead_letters (integration_id, id);
  `,
  // 7: the event log by time, for queries by time range and for pruning by retention.
  `
  CREATE INDEX events_occurred_index ON events (occurred_at);
  `,
];

/**
 * Runs `body` in a write transaction (`BEGIN IMMEDIATE`, so concurrent
 * writers wait for each other rather than fail halfway), rolling back when
 * it throws.
 */
export function inTransaction<Result>(database: DatabaseSync, body: () => Result): Result {
  database.exec('BEGIN IMMEDIATE');
  try {
    const result = body();
    database.exec('COMMIT');
    return result;
  } catch (error) {
    database.exec('ROLLBACK');
    throw error;
  }
}

/** Applies the migrations the database has not seen yet, in order, in one transaction. */
export function migrateSqlite(database: DatabaseSync, migrations: readonly string[] = SQLITE_MIGRATIONS): void {
  database.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT');
  inTransaction(database, () => {
    const row = database.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null };
    const applied = row.version ?? 0;
    migrations.forEach((sql, index) => {
      const version = index + 1;
      if (version <= applied) return;
      database.exec(sql);
      database.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
    });
  });
}
