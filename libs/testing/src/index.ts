export { VERSION } from './version';
export { testProvider, providerContractChecks, type ProviderContractCheck, type TestProviderOptions } from './test-provider';
export { createCallContext } from './call-context';
export { expectSecretsKeptPrivately, printedForms } from './printed-forms';
export { createCapabilityClient, expectIntegrationError, type CapabilityClient, type OperationName } from './capability-client';
export {
  runCapabilityCases,
  testCapability,
  type AdditionalTestsContext,
  type CapabilityCase,
  type CapabilityCaseResult,
  type TestCapabilityOptions,
} from './test-capability';
export { storageProviderCases, testStorageProvider, type TestStorageProviderOptions } from './storage-suite';
export { messagingProviderCases, testMessagingProvider, type TestMessagingProviderOptions } from './messaging-suite';
export { issuesProviderCases, testIssuesProvider, type TestIssuesProviderOptions } from './issues-suite';
export { functionsProviderCases, testFunctionsProvider, type TestFunctionsProviderOptions } from './functions-suite';
export { computeProviderCases, testComputeProvider, type TestComputeProviderOptions } from './compute-suite';
export {
  repositoriesProviderCases,
  testRepositoriesProvider,
  type RepositoriesFixture,
  type TestRepositoriesProviderOptions,
} from './repositories-suite';
export { createZipArchive, echoFunctionZip, ECHO_FUNCTION_FILES, ECHO_FUNCTION_SOURCE } from './zip-archive';
// In-memory providers live in @switchyard/core/testing (no vitest needed there); re-exported for convenience.
export {
  createMemoryStorageProvider,
  createMemoryMessagingProvider,
  createMemoryIssuesProvider,
  createMemoryFunctionsProvider,
  createMemoryComputeProvider,
  createMemoryRepositoriesProvider,
  DEFAULT_MEMORY_CHANNELS,
  DEFAULT_MEMORY_USERS,
  DEFAULT_MEMORY_PROJECTS,
  DEFAULT_MEMORY_REPOSITORIES,
  type MemoryStorageProviderOptions,
  type MemoryChannel,
  type MemoryMessagingProviderOptions,
  type MemoryUser,
  type MemoryIssuesProviderOptions,
  type MemoryProject,
  type MemoryFunctionsProviderOptions,
  type MemoryComputeProvider,
  type MemoryComputeProviderOptions,
  type MemoryInstance,
  type MemoryRepositoriesProviderOptions,
  type MemoryRepository,
  type MemoryCommit,
  type MemoryFile,
  type MemoryPullRequest,
} from '@switchyard/core/testing';
export { overrideOperation, withoutOperations, type OperationOverride } from './provider-overrides';
export {
  createFakeProvider,
  integrationErrorOf,
  type FakeProvider,
  type FakeProviderCall,
  type FakeProviderOptions,
} from '@switchyard/core/testing';

// fault-injecting HTTP server
export {
  startFaultServer,
  type FaultKind,
  type FaultResponse,
  type FaultRoute,
  type FaultRoutes,
  type FaultServer,
  type RecordedRequest,
} from './fault-server';

// store contract suite
export { storeContractCases, testStore, type StoreCase, type TestStoreOptions } from './store-suite';

// local peers (emulators) for provider tests
export { findFreePort, startPeerProcess, type PeerProcess, type PeerProcessOptions } from './peer-process';
export { listenOnLoopback, type LoopbackServer } from './loopback';

// outbound webhook subscribers and the restart scenario every store runs
export { startWebhookSubscriber, type ReceivedWebhook, type WebhookAnswer, type WebhookSubscriber } from './webhook-subscriber';
export { expectWebhooksSurviveRestart, type WebhookRestartOptions } from './webhook-restart';

// Prism: an official OpenAPI description as a mock or a validating proxy
export { fetchDispatcher } from './fetch-dispatcher';
export {
  makeNullableSchemasValidatable,
  startPrism,
  writeValidatableOpenApi,
  type Prism,
  type PrismExchange,
  type PrismOptions,
  type PrismViolation,
} from './prism';

// the fault suite every HTTP provider runs
export {
  providerFaultCases,
  testProviderFaults,
  type ProviderFaultCase,
  type ProviderFaultRun,
  type TestProviderFaultsOptions,
} from './provider-faults';
