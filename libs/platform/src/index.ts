/**
 * `@switchyard/platform`: what a host runs around the hub — the store
 * interface and the in-memory store, the credential vault with OAuth2
 * refresh, the integrations service and the inbound-webhook receiver. The
 * SQLite and PostgreSQL stores, the CLI and the server build on it; a host
 * that only routes calls needs `@switchyard/core` alone.
 */
export { VERSION } from './version';

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

// store
export {
  API_KEY_SCOPES,
  type ApiKeyRecord,
  type ApiKeyScope,
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
  WEBHOOK_ATTEMPT_OUTCOMES,
  WEBHOOK_OUTBOX_STATUSES,
  type WebhookAttemptOutcome,
  type WebhookOutboxRecord,
  type WebhookOutboxStatus,
  type WebhookSubscriptionRecord,
} from './store/store-records';
export type {
  ApiKeyChanges,
  ApiKeyFilter,
  ApiKeyRepository,
  NewApiKey,
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
export type {
  NewWebhookOutboxEntry,
  NewWebhookSubscription,
  WebhookAttempt,
  WebhookOutboxClaim,
  WebhookOutboxQuery,
  WebhookOutboxRepository,
  WebhookSubscriptionChanges,
  WebhookSubscriptionFilter,
  WebhookSubscriptionRepository,
} from './store/store-webhooks';
export type {
  SyncBatch,
  SyncBatchOutcome,
  SyncDeadLetter,
  SyncDeadLetterWrite,
  SyncLease,
  SyncLeaseHolder,
  SyncPassEnd,
  SyncRecordWrite,
  SyncRepository,
} from './store/store-sync';
export { createMemoryStore } from './store/memory-store';
export { workspaceView } from './store/workspace-view';

// outbound webhooks
export {
  createWebhookDispatcher,
  type OutboundWebhookEvent,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
  type WebhookDispatchReport,
} from './webhooks/webhook-dispatcher';
export {
  classifyWebhookStatus,
  DEFAULT_WEBHOOK_RETRY,
  resolveWebhookRetry,
  webhookBackoffMs,
  type WebhookRetryOptions,
  type WebhookRetryPolicy,
} from './webhooks/webhook-retry';
export { checkSubscriptionUrl, type SubscriptionUrlOptions } from './webhooks/webhook-url';
export type { WebhookJob, WebhookJobQueue } from './webhooks/webhook-jobs';
export { createWebhookSecret, isWebhookSecret, WEBHOOK_SECRET_PREFIX } from './webhooks/webhook-secret';

// API keys, hashed in the store
export {
  API_KEY_PREFIX,
  createApiKeys,
  hasScope,
  type ApiKeyIdentity,
  type ApiKeys,
  type ApiKeysOptions,
  type ApiKeyVerdict,
  type IssueApiKeyInput,
  type IssuedApiKey,
} from './api-keys/api-keys';

// placement records and repair hints in a store
export { createStorePlacements, type StorePlacementsOptions } from './placement/store-placements';

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
export {
  DEFAULT_REFRESH_SKEW_MS,
  OAUTH2_TOKEN_FIELD,
  type CredentialRefreshEvent,
  type OAuth2RefreshFunction,
  type OAuth2RefreshResult,
  type OAuth2TokenSet,
} from './credentials/oauth2-refresh';

// Data mapping
export { compileMapping, type CompiledMapping, type CompileMappingOptions, type MappingResult } from './data/mapping-compiler';
export {
  fieldMappingSchema,
  mappingDefinitionSchema,
  parseMappingDefinition,
  type FieldMapping,
  type MappingDefinition,
} from './data/mapping-definition';
export { MAPPING_RULES, type MappingFieldError, type MappingRule } from './data/mapping-errors';
export type { ExpressionLimits } from './data/mapping-expressions';
export { suggestJsonata } from './data/mapping-javascript';
export type { MappingRecord, MappingTemplateRecord } from './data/mapping-records';
export {
  createMappingService,
  type MappingChanges,
  type MappingFilter,
  type MappingService,
  type MappingServiceOptions,
  type MappingTemplateChanges,
  type NewMapping,
  type NewMappingTemplate,
} from './data/mapping-service';
export { CONVERTERS, MAPPING_FIELD_TYPES, TypeMismatch, type Converter, type MappingFieldType } from './data/mapping-types';
export { HUBSPOT_CONTACT_MAPPING } from './data/examples/hubspot-contact-mapping';

// Data sync
export {
  createSyncService,
  SYNC_EVENT_TYPES,
  type SyncRunOptions,
  type SyncService,
  type SyncServiceOptions,
  type SyncSummary,
} from './data/sync-service';
export type { SyncProgress, SyncStreamCounts } from './data/sync-run';
export { createTimerScheduler, type SyncScheduleHandlers, type SyncScheduler } from './data/sync-scheduler';
export { readSyncSettings, type SyncSettings } from './data/sync-settings';
export {
  hubListSource,
  type HubListSourceOptions,
  type SyncMapping,
  type SyncMappingResult,
  type SyncPage,
  type SyncPageRequest,
  type SyncSource,
  type SyncStream,
} from './data/sync-source';

// Provider-to-provider sync
export {
  syncBetweenProviders,
  type ProviderSyncFailure,
  type ProviderSyncOptions,
  type ProviderSyncSource,
  type ProviderSyncSummary,
  type ProviderSyncTarget,
  type ProviderSyncWriteContext,
} from './data/provider-sync';

// Event log and alerts
export type { EventPruneOptions } from './store/store';
export {
  createEventLog,
  hubEventRecord,
  HUB_EVENT_PREFIX,
  type EventLog,
  type EventLogOptions,
  type EventLogQuery,
} from './events/event-log';
export {
  ALERT_EVENT_TYPES,
  ALERT_SEVERITIES,
  describeNotification,
  type Alert,
  type AlertChannel,
  type AlertNotification,
  type AlertRule,
  type AlertSeverity,
  type AlertSubject,
  type BreakerOpenRule,
  type ErrorRateRule,
  type FailedSyncsRule,
  type HealthBelowRule,
} from './alerts/alert-types';
export { createAlerts, type AlertListQuery, type AlertResolution, type Alerts, type AlertsOptions } from './alerts/alerts';
export {
  alertWebhookBody,
  emailChannel,
  messagingChannel,
  webhookChannel,
  type EmailChannelOptions,
  type MessagingChannelOptions,
  type WebhookChannelOptions,
} from './alerts/alert-channels';
export { checkRateLimit, type RateLimitCheck, type RateLimitCheckContext } from './alerts/check-rate-limit';
export { createTimerAlertChecks, type AlertCheckScheduler } from './alerts/alert-scheduler';
