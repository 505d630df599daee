export { VERSION } from './version';
export { createPostgresStore, DEFAULT_POSTGRES_SCHEMA, type PostgresStoreSettings } from './postgres-store';
export { migratePostgres, POSTGRES_MIGRATIONS, SCHEMA_NAME_PATTERN } from './postgres-migrations';
export { POSTGRES_WORKSPACE_ROLE } from './postgres-workspaces';
export { createPgBossSyncScheduler, type PgBossSyncSchedulerOptions } from './pg-boss-scheduler';
export { createPgBossWebhookJobs, type PgBossWebhookJobsOptions } from './pg-boss-webhook-jobs';
export type { PgBossConnectionOptions, PgBossWorkerOptions } from './pg-boss-kit';
export { createPgBossAlertChecks, type PgBossAlertChecksOptions } from './pg-boss-alert-checks';
