/**
 * Test helpers that need no test runner: `@switchyard/core/testing`.
 * Contract suites (which need vitest) live in `@switchyard/testing`. The
 * in-memory providers pass those suites and serve as embedded stand-ins
 * (the CLI's quickstart runs on them).
 */
export { createFakeProvider, type FakeProvider, type FakeProviderCall, type FakeProviderOptions } from './fake-provider';
export { MEMORY_PROVIDERS_DOCS_URL } from './memory-provider';
export { createMemoryStorageProvider, type MemoryStorageProviderOptions } from './memory-storage-provider';
export {
  createMemoryMessagingProvider,
  DEFAULT_MEMORY_CHANNELS,
  DEFAULT_MEMORY_USERS,
  type MemoryChannel,
  type MemoryMessagingProviderOptions,
  type MemoryUser,
} from './memory-messaging-provider';
export {
  createMemoryIssuesProvider,
  DEFAULT_MEMORY_PROJECTS,
  type MemoryIssuesProviderOptions,
  type MemoryProject,
} from './memory-issues-provider';
export { createMemoryRepositoriesProvider, type MemoryRepositoriesProviderOptions } from './memory-repositories-provider';
export {
  DEFAULT_MEMORY_REPOSITORIES,
  type MemoryCommit,
  type MemoryFile,
  type MemoryPullRequest,
  type MemoryRepository,
} from './memory-repositories-data';
export { createMemoryFunctionsProvider, type MemoryFunctionsProviderOptions } from './memory-functions-provider';
export {
  createMemoryComputeProvider,
  type MemoryComputeProvider,
  type MemoryComputeProviderOptions,
  type MemoryInstance,
} from './memory-compute-provider';
export { integrationErrorOf } from './integration-error-of';
export { createLeakyFailingProvider, type LeakyFailingProvider } from './leaky-failing-provider';
