/**
 * `@switchyard/platform/store-kit`: the pieces a `Store` implementation
 * shares, for store authors (the SQLite and PostgreSQL stores use them):
 * input validation, the store's errors, content hashes, timestamps and row
 * mappers. Hosts do not need it.
 */
export {
  contentHash,
  credentialVersionConflict,
  isJsonObject,
  isJsonValue,
  parseStoreInput,
  storeConflict,
  storeNotFound,
  storeSchemas,
  storeTimestamp,
} from './store/store-input';
export { createStoreRowMappers, type StoreColumnReaders, type StoreRow, type StoreRowMappers } from './store/store-rows';
export { workspaceView } from './store/workspace-view';
