/**
 * `@switchyard/core/capabilities`: every contract core defines, with their
 * schemas, and the catalog of them. Each contract also has its own entry
 * point (`@switchyard/core/storage`, `/messaging`, `/issues`, `/functions`,
 * `/compute`, `/repositories`), so a host or provider that uses one builds
 * only that one's schemas.
 */
export { capabilityContracts, findCapabilityContract } from './catalog';
export { pageCursorSchema, pageLimitSchema, timestampSchema } from './capability-schemas';
export * from './storage';
export * from './messaging';
export * from './issues';
export * from './functions';
export * from './compute';
export * from './repositories';
