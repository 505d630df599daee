export { VERSION } from './version';
export { createSqliteStore, DEFAULT_SQLITE_PATH, type SqliteStoreSettings } from './sqlite-store';
export { migrateSqlite, SQLITE_MIGRATIONS } from './sqlite-migrations';
