export { VERSION } from './version';

export {
  ERROR_KINDS,
  IntegrationError,
  toIntegrationError,
  type AttemptRecord,
  type ErrorKind,
  type IntegrationErrorOptions,
} from './errors/integration-error';
export { REDACTED, redact, redactText, registerSecret } from './errors/redact';

export {
  CAPABILITY_NAME_PATTERN,
  defineCapability,
  type CapabilityContract,
  type CapabilityName,
  type OperationContract,
  type OperationHints,
  type OperationInput,
  type OperationOutput,
} from './capabilities/capability';

export { PROVIDER_CATEGORIES, type ProviderCategory } from './provider/provider-category';
export {
  AUTH_KINDS,
  providerManifestSchema,
  rateLimitSchema,
  validateProviderManifest,
  type ProviderCapability,
  type ProviderManifest,
} from './provider/provider-manifest';
export type {
  ProviderCallContext,
  ProviderOperation,
  ProviderRequest,
  ProviderHealthReport,
  ProviderV1,
  RateLimitStatus,
  ServiceHealth,
} from './provider/provider';

export {
  createCapabilityDispatcher,
  type CapabilityDispatcher,
  type CapabilityHandlers,
  type OperationHandler,
  type OperationHandlers,
} from './provider/capability-dispatcher';
export { defineProvider, type DefinedProvider, type ProviderDefinition } from './provider/define-provider';

export { silentLogger, type Logger } from './utils/logger';
export { loadOptionalSetting, withoutTrailingSlash, type LoadOptionalSettingOptions } from './utils/load-setting';

// capabilities (storage, messaging, issues, functions, compute, repositories)
export { capabilityContracts, findCapabilityContract } from './capabilities/catalog';
export {
  bodyEncodingSchema,
  bucketNameSchema,
  contentTypeSchema,
  objectInfoSchema,
  objectKeySchema,
  objectMetadataSchema,
  objectSummarySchema,
  storageV1,
  type ObjectInfo,
  type StorageOperationInput,
  type StorageOperationName,
  type StorageOperationOutput,
  type StorageOperations,
} from './capabilities/storage';
export {
  channelSchema,
  messageBlockSchema,
  messageButtonSchema,
  messageSchema,
  messagingUserSchema,
  messagingV1,
  phoneNumberSchema,
  recipientSchema,
  type Message,
  type MessageBlock,
  type MessagingOperationInput,
  type MessagingOperationName,
  type MessagingOperationOutput,
  type MessagingOperations,
  type Recipient,
} from './capabilities/messaging';
export {
  issueCommentSchema,
  issueIdSchema,
  issueProjectSchema,
  issueSchema,
  issueStateSchema,
  issuesV1,
  projectIdSchema,
  type Issue,
  type IssuesOperationInput,
  type IssuesOperationName,
  type IssuesOperationOutput,
  type IssuesOperations,
} from './capabilities/issues';

export {
  functionInfoSchema,
  functionNameSchema,
  functionsV1,
  functionZipSchema,
  type FunctionInfo,
  type FunctionsOperationInput,
  type FunctionsOperationName,
  type FunctionsOperationOutput,
  type FunctionsOperations,
} from './capabilities/functions';
export {
  computeV1,
  instanceIdSchema,
  instanceSchema,
  instanceStateSchema,
  type ComputeOperationInput,
  type ComputeOperationName,
  type ComputeOperationOutput,
  type ComputeOperations,
  type Instance,
  type InstanceState,
} from './capabilities/compute';
export {
  commitSchema,
  gitRefSchema,
  pullRequestSchema,
  repositoriesV1,
  repositoryIdSchema,
  repositorySchema,
  type Commit,
  type PullRequest,
  type RepositoriesOperationInput,
  type RepositoriesOperationName,
  type RepositoriesOperationOutput,
  type RepositoriesOperations,
  type Repository,
} from './capabilities/repositories';
export type {
  InboundWebhook,
  NormalizedWebhookEvent,
  NormalizedWebhookFields,
  ProviderWebhooks,
  VerifiedWebhook,
  WebhookEventType,
  WebhookHeaders,
  WebhookReply,
} from './provider/provider-webhooks';
export {
  headerValue,
  hmacSignature,
  timingSafeEqualText,
  verifyHmacSignature,
  verifyTimestampWindow,
  type HmacSignatureOptions,
  type TimestampWindowOptions,
  type VerifyHmacSignatureOptions,
  type WebhookHmacAlgorithm,
  type WebhookSignatureEncoding,
} from './webhooks/webhook-signatures';
export {
  createWebhookReceiver,
  type WebhookEventEmitter,
  type WebhookEvents,
  type WebhookProviderLookup,
  type WebhookReceipt,
  type WebhookReceiveRequest,
  type WebhookReceiver,
  type WebhookReceiverOptions,
  type WebhookSecretLookup,
} from './webhooks/webhook-receiver';

// hub, router, events, tools
export { createHub, type Hub, type ProviderReport, type RouteExplanation } from './hub/create-hub';
export type { CapabilityFacade } from './hub/capability-facade';
export type { ProviderHealth } from './hub/health';
export type { HubOptions, HubRequest } from './hub/hub-options';
export type { BreakerSettings, ExecuteOptions, ExecuteResult, ProviderRoutingOptions, RoutingOptions } from './router/router-options';
export { ProviderRegistry, type ContractLookup, type RegistryStatistics } from './registry/provider-registry';
export type { ParallelOutcome } from './router/router';
export type { CandidateExplanation } from './router/ranking';
export type { ProviderMetrics } from './router/provider-stats';
export {
  DEFAULT_ROUTING_WEIGHTS,
  weightedSumStrategy,
  type RoutingWeights,
  type ScoreBreakdown,
  type ScoreInputs,
  type ScoreTerms,
  type ScoringStrategy,
} from './router/scoring';
export { canFailOver, canRetry, countsAgainstHealth } from './router/failover-policy';
export { EventBus, type EventListener } from './events/event-bus';
export type { EventError, HubEvents, HubEventType } from './events/hub-events';
export { ToolRegistry, type ToolDefinition, type ToolRegistryDependencies } from './tools/tool-registry';

// resilience
export {
  CircuitBreaker,
  type BreakerPermit,
  type BreakerState,
  type BreakerStateChange,
  type CircuitBreakerOptions,
  type CircuitBreakerSnapshot,
} from './resilience/circuit-breaker';
export { RateLimiter, type RateLimit, type RateLimiterOptions, type SharedRateLimitOptions } from './resilience/rate-limiter';
export { DEFAULT_RETRY_POLICY, backoffDelayMs, retryAfterFailure, type RetryOptions, type RetryPolicy } from './resilience/retry';
export { abortReasonToError, withDeadline, type DeadlineOptions, type DeadlineScope } from './resilience/deadline';

// store
export {
  INTEGRATION_STATUSES,
  type DataRecord,
  type DefinitionRecord,
  type IntegrationRecord,
  type IntegrationStatus,
  type JsonObject,
  type JsonValue,
  type RegistryEntry,
  type SealedCredential,
  type StoredEvent,
  type SyncCheckpoint,
  type UpsertOutcome,
} from './store/store-records';
export type {
  CheckpointRepository,
  CheckpointWrite,
  CredentialFilter,
  CredentialRepository,
  CredentialWrite,
  DataRecordFilter,
  DataRecordRepository,
  DataRecordWrite,
  DefinitionChanges,
  DefinitionRepository,
  EventRepository,
  IntegrationChanges,
  IntegrationFilter,
  IntegrationRepository,
  NewDefinition,
  NewEvent,
  NewIntegration,
  NewRegistryEntry,
  RecentEventsQuery,
  RegistryRepository,
  Store,
  UpsertResult,
  WebhookDelivery,
  WebhookDeliveryRepository,
} from './store/store';
export {
  contentHash,
  credentialVersionConflict,
  parseStoreInput,
  storeConflict,
  storeNotFound,
  storeSchemas,
  storeTimestamp,
} from './store/store-input';
export { createMemoryStore } from './store/memory-store';
export { createStoreRowMappers, type StoreColumnReaders, type StoreRow, type StoreRowMappers } from './store/store-rows';

// integrations service
export {
  createIntegrationsService,
  METRICS_TIMEFRAMES_MS,
  type ConnectionTestResult,
  type CreateIntegrationInput,
  type IntegrationHealthReport,
  type IntegrationMetrics,
  type IntegrationsService,
  type IntegrationsServiceOptions,
  type IntegrationStatusReport,
  type MetricsTimeframe,
  type UpdateIntegrationInput,
} from './integrations/integrations-service';
export {
  computeHealthScore,
  HEALTH_SCORE_WEIGHTS,
  type HealthGrade,
  type HealthScore,
  type HealthScoreInputs,
  type HealthScoreOptions,
  type HealthScoreTerms,
} from './integrations/integration-health-score';
export { INTEGRATION_EVENT_TYPES, type IntegrationEventType } from './integrations/integration-events';

// credentials
export {
  createCredentialSealer,
  masterKeysFromEnvironment,
  MASTER_KEY_ENVIRONMENT_VARIABLE,
  PREVIOUS_MASTER_KEYS_ENVIRONMENT_VARIABLE,
  type CredentialAddress,
  type CredentialSealer,
  type MasterKey,
  type MasterKeys,
  type PassphraseMasterKey,
  type RandomMasterKey,
  type SealedValue,
} from './credentials/credential-sealer';
export {
  createCredentialManager,
  type CredentialManager,
  type CredentialManagerOptions,
  type KeyRotationReport,
} from './credentials/credential-manager';
export type { CredentialLookup } from './credentials/credential-lookup';
export {
  DEFAULT_REFRESH_SKEW_MS,
  OAUTH2_TOKEN_FIELD,
  type CredentialRefreshEvent,
  type OAuth2RefreshFunction,
  type OAuth2RefreshResult,
  type OAuth2TokenSet,
} from './credentials/oauth2-refresh';
