export { VERSION } from './version';

export {
  ERROR_KINDS,
  IntegrationError,
  redactIntegrationError,
  toIntegrationError,
  type AttemptRecord,
  type ErrorKind,
  type IntegrationErrorOptions,
} from './errors/integration-error';
export { errorReport, validationFields, type ErrorReport } from './errors/error-report';
export { assertPublicHost, isPrivateAddress, publicOnlyLookup } from './network/private-network';
export { parseRetryAfter } from './utils/retry-after';
export { REDACTED, redact, redactText, SecretSet, type SecretSetOptions, type RedactionSecrets } from './errors/redact';

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
export { AUTH_KINDS, validateProviderManifest, type ProviderCapability, type ProviderManifest } from './provider/provider-manifest';
export type {
  ProviderCallContext,
  ProviderOperation,
  ProviderRequest,
  ProviderHealthReport,
  ProviderV1,
  RateLimitStatus,
  ServiceHealth,
} from './provider/provider';

export type { CapabilityDispatcher, CapabilityHandlers, OperationHandler, OperationHandlers } from './provider/capability-dispatcher';
export { defineProvider, type DefinedProvider, type ProviderDefinition } from './provider/define-provider';

export { silentLogger, type Logger } from './utils/logger';
export { loadOptionalPeer, type OptionalPeerOptions } from './utils/optional-peer';
export { loadOptionalSetting, withoutTrailingSlash, type LoadOptionalSettingOptions } from './utils/load-setting';

// The built-in capability contracts are values built with zod; they live in their own entry points
// (`@switchyard/core/storage`, ... and `@switchyard/core/capabilities` for all six), so importing core
// does not build them. Their types are here.
export type {
  ObjectInfo,
  StorageOperationInput,
  StorageOperationName,
  StorageOperationOutput,
  StorageOperations,
} from './capabilities/storage';
export type {
  Message,
  MessageBlock,
  MessagingOperationInput,
  MessagingOperationName,
  MessagingOperationOutput,
  MessagingOperations,
  Recipient,
} from './capabilities/messaging';
export type { Issue, IssuesOperationInput, IssuesOperationName, IssuesOperationOutput, IssuesOperations } from './capabilities/issues';
export type {
  FunctionInfo,
  FunctionsOperationInput,
  FunctionsOperationName,
  FunctionsOperationOutput,
  FunctionsOperations,
} from './capabilities/functions';
export type {
  ComputeOperationInput,
  ComputeOperationName,
  ComputeOperationOutput,
  ComputeOperations,
  Instance,
  InstanceState,
} from './capabilities/compute';
export type {
  Commit,
  PullRequest,
  RepositoriesOperationInput,
  RepositoriesOperationName,
  RepositoriesOperationOutput,
  RepositoriesOperations,
  Repository,
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
  parseStripeSignatureHeader,
  verifyStripeSignature,
  type StripeSignatureHeader,
  type VerifyStripeSignatureOptions,
} from './webhooks/stripe-signature';

// hub, router, events, tools
export { createHub, type Hub, type ProviderReport, type RouteExplanation } from './hub/create-hub';
export {
  createMemoryPlacementStore,
  type MemoryPlacementStoreOptions,
  type PlacementHint,
  type PlacementHolder,
  type PlacementRecord,
  type PlacementStore,
} from './placement/placement-store';
export {
  DEFAULT_DATA_POLICY,
  SYSTEM_OF_RECORD_POLICY,
  touches,
  type CapabilityReplication,
  type DataPolicy,
  type OperationResource,
  type PlacementPin,
  type ReadPolicy,
  type ResourceAccess,
  type WritePolicy,
} from './capabilities/data-policy';
export type { CapabilityFacade } from './hub/capability-facade';
export type {
  CredentialLookup,
  CredentialRefreshEvent,
  CredentialVault,
  OAuth2RefreshFunction,
  OAuth2RefreshResult,
  OAuth2TokenSet,
} from './credentials/credential-lookup';
export type { ProviderHealth } from './hub/health';
export type { HubOptions, HubRequest } from './hub/hub-options';
export type {
  BreakerSettings,
  ExecuteOptions,
  ExecuteResult,
  PlacementOutcome,
  ProviderRoutingOptions,
  RepairSettings,
  RoutingOptions,
} from './router/router-options';
export type { EffectivePolicy } from './placement/policy';
export type { RepairSummary } from './placement/repair';
// The hub's registry and tool registry are reached through `hub.registry` and `hub.tools`; their classes are not public.
export type { ContractLookup, ProviderRegistry, RegistryStatistics } from './registry/provider-registry';
export type { ParallelOutcome } from './router/router';
export type { CandidateExplanation } from './router/ranking';
export type { ProviderMetrics } from './router/provider-stats';
export type { ProviderRateLimitState } from './router/provider-runtime';
export {
  DEFAULT_ROUTING_WEIGHTS,
  weightedSumStrategy,
  type RoutingWeights,
  type ScoreBreakdown,
  type ScoreInputs,
  type ScoreTerms,
  type ScoringStrategy,
} from './router/scoring';
export { canFailOver, canRetry } from './router/failover-policy';
export { EventBus, type AnyEvent, type AnyEventListener, type EventListener } from './events/event-bus';
export { HUB_EVENT_TYPES, type EventError, type HubEvents, type HubEventType } from './events/hub-events';
export type { ToolDefinition, ToolRegistry } from './tools/tool-registry';

// resilience
export {
  CircuitBreaker,
  type BreakerPermit,
  type BreakerState,
  type BreakerStateChange,
  type CircuitBreakerOptions,
  type CircuitBreakerSnapshot,
} from './resilience/circuit-breaker';
export {
  RateLimiter,
  type RateLimit,
  type RateLimiterOptions,
  type RateLimiterStatus,
  type SharedRateLimitOptions,
} from './resilience/rate-limiter';
export { DEFAULT_RETRY_POLICY, retryAfterFailure, type RetryOptions, type RetryPolicy } from './resilience/retry';
export { withDeadline, type DeadlineOptions, type DeadlineScope } from './resilience/deadline';
