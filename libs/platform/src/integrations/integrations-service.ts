import { IntegrationError, toIntegrationError, withDeadline, type EventError, type Hub, type ProviderReport } from '@switchyard/core';
import type { IntegrationFilter, Store } from '../store/store';
import type { IntegrationRecord, IntegrationStatus, JsonObject, StoredEvent } from '../store/store-records';
import { computeHealthScore, type HealthScore, type HealthScoreOptions } from './integration-health-score';
import { INTEGRATION_EVENT_TYPES } from './integration-events';

/** Options of {@link createIntegrationsService}. */
export interface IntegrationsServiceOptions {
  /** Where integrations and their events live. */
  readonly store: Store;
  /** The hub whose providers integrations point at; its metrics feed health scores. */
  readonly hub: Hub;
  /** Epoch ms now; for tests. Default `Date.now`. */
  readonly clock?: (() => number) | undefined;
  /** Deadline of one connection test, in ms. Default 5 000. */
  readonly connectionTestTimeoutMs?: number | undefined;
  /** Tuning of {@link IntegrationsService.checkHealth}. Default: the formula's defaults. */
  readonly healthScore?: HealthScoreOptions | undefined;
}

/** What {@link IntegrationsService.createIntegration} takes. */
export interface CreateIntegrationInput {
  /** A provider registered in the hub. */
  readonly providerId: string;
  /** 1..255 characters. */
  readonly name: string;
  /** Non-secret settings. Default `{}`. */
  readonly settings?: JsonObject | undefined;
}

/** What {@link IntegrationsService.updateIntegration} can change; absent fields stay. */
export interface UpdateIntegrationInput {
  readonly name?: string | undefined;
  /** Replaces the settings as a whole. */
  readonly settings?: JsonObject | undefined;
}

/** The outcome of {@link IntegrationsService.testConnection}. */
export interface ConnectionTestResult {
  readonly integrationId: string;
  readonly providerId: string;
  readonly healthy: boolean;
  /** False when the provider has no health check and was judged by its circuit breaker. */
  readonly checked: boolean;
  readonly durationMs: number;
  readonly error: EventError | undefined;
}

/** What {@link IntegrationsService.getStatus} reports. */
export interface IntegrationStatusReport {
  readonly integrationId: string;
  readonly providerId: string;
  readonly status: IntegrationStatus;
  /** Whether the hub has the provider now. */
  readonly providerRegistered: boolean;
  /** The provider's circuit breaker state; undefined when it is not registered. */
  readonly breaker: string | undefined;
  /** The last connection test, newest first from the event log; undefined when none ran. */
  readonly lastTest: { readonly healthy: boolean; readonly at: string } | undefined;
}

/** What {@link IntegrationsService.checkHealth} reports. */
export interface IntegrationHealthReport extends HealthScore {
  readonly integrationId: string;
  readonly providerId: string;
}

/** A window of time to report metrics over. */
export type MetricsTimeframe = '1h' | '24h' | '7d' | '30d';

/** Milliseconds in each {@link MetricsTimeframe}. */
export const METRICS_TIMEFRAMES_MS: Readonly<Record<MetricsTimeframe, number>> = Object.freeze({
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 604_800_000,
  '30d': 2_592_000_000,
});

/** What {@link IntegrationsService.getMetrics} reports. */
export interface IntegrationMetrics {
  readonly integrationId: string;
  readonly providerId: string;
  readonly timeframe: MetricsTimeframe;
  /** The provider's hub metrics since the hub started; undefined when it is not registered. */
  readonly provider: ProviderReport | undefined;
  /** Stored events of the integration inside the timeframe (the newest 1 000 at most), by type. */
  readonly events: { readonly total: number; readonly byType: Readonly<Record<string, number>> };
  /** Connection tests inside the timeframe. */
  readonly connectionTests: {
    readonly total: number;
    readonly healthy: number;
    readonly failed: number;
    /** Undefined when none ran. */
    readonly averageDurationMs: number | undefined;
  };
}

/** Integrations (a host's configured connections to providers) over a store and a hub. */
export interface IntegrationsService {
  /** Creates a `disabled` integration; `connect()` activates it. Throws `validation` naming the bad field. */
  createIntegration(input: CreateIntegrationInput): Promise<IntegrationRecord>;
  /** Throws `not_found`, or `validation` naming the bad field. */
  updateIntegration(id: string, changes: UpdateIntegrationInput): Promise<IntegrationRecord>;
  /** Deletes it with its credentials, records and checkpoints. Throws `not_found`. */
  deleteIntegration(id: string): Promise<void>;
  /** Oldest first. Default: every integration. */
  getIntegrations(filter?: IntegrationFilter): Promise<IntegrationRecord[]>;
  /** Throws `not_found`. */
  getIntegrationById(id: string): Promise<IntegrationRecord>;
  /** Runs the provider's health check under a deadline and records the outcome as an `integration.tested` event. */
  testConnection(id: string): Promise<ConnectionTestResult>;
  /** Tests the connection: `active` when it passes; `error` (and the test's error thrown) when it fails. */
  connect(id: string): Promise<IntegrationRecord>;
  /** Sets `disabled`; a no-op on a disabled integration. */
  disconnect(id: string): Promise<IntegrationRecord>;
  getStatus(id: string): Promise<IntegrationStatusReport>;
  /** A 0..100 score from error rate, latency and time since last success (see `computeHealthScore`). */
  checkHealth(id: string): Promise<IntegrationHealthReport>;
  /** Hub metrics of the provider plus the integration's stored events in the timeframe. Default `'24h'`. */
  getMetrics(id: string, timeframe?: MetricsTimeframe): Promise<IntegrationMetrics>;
}

const DEFAULT_CONNECTION_TEST_TIMEOUT_MS = 5_000;
const MAX_EVENTS = 1_000;

function validationError(operation: string, field: string, message: string): IntegrationError {
  return new IntegrationError({ kind: 'validation', message: `${operation}: ${field}: ${message}`, operation, details: { field } });
}

function checkName(operation: string, name: unknown): void {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 255) {
    throw validationError(operation, 'name', 'must be a non-empty string of at most 255 characters');
  }
}

function checkSettings(operation: string, settings: unknown): void {
  if (settings === undefined) return;
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw validationError(operation, 'settings', 'must be a JSON object');
  }
}

/**
 * Creates the integrations service: CRUD over the store's integrations,
 * connection tests and status transitions recorded in the store's event log,
 * and health scores and metrics from the hub.
 *
 * @example
 * ```ts
 * const integrations = createIntegrationsService({ store: createMemoryStore(), hub });
 * const github = await integrations.createIntegration({ providerId: 'github', name: 'GitHub (acme)' });
 * await integrations.connect(github.id);
 * ```
 */
export function createIntegrationsService(options: IntegrationsServiceOptions): IntegrationsService {
  const { store, hub } = options;
  const clock = options.clock ?? Date.now;
  const timeoutMs = options.connectionTestTimeoutMs ?? DEFAULT_CONNECTION_TEST_TIMEOUT_MS;
  const record = (type: string, integrationId: string, payload: JsonObject = {}): Promise<StoredEvent> =>
    store.events.append({ type, integrationId, payload });

  const testConnection = async (id: string): Promise<ConnectionTestResult> => {
    const integration = await store.integrations.get(id);
    const provider = hub.registry.get(integration.providerId);
    if (provider === undefined) {
      throw new IntegrationError({
        kind: 'not_found',
        message: `testConnection: provider "${integration.providerId}" of integration "${id}" is not registered in the hub`,
        provider: integration.providerId,
        operation: 'testConnection',
      });
    }
    const startedAt = clock();
    let error: EventError | undefined;
    let checked = true;
    if (provider.healthCheck === undefined) {
      checked = false;
      const breaker = hub.metrics()[integration.providerId]?.breaker.state;
      if (breaker !== 'closed') error = { kind: 'circuit_open', message: `circuit is ${breaker ?? 'unknown'}` };
    } else {
      try {
        await withDeadline((scope) => provider.healthCheck!({ signal: scope.signal }), {
          deadline: Date.now() + timeoutMs,
          provider: integration.providerId,
          operation: 'healthCheck',
        });
      } catch (caught) {
        const failure = toIntegrationError(caught, { provider: integration.providerId, operation: 'healthCheck' });
        error = { kind: failure.kind, message: failure.message };
      }
    }
    const durationMs = Math.max(0, clock() - startedAt);
    const healthy = error === undefined;
    await record(INTEGRATION_EVENT_TYPES.tested, id, {
      healthy,
      checked,
      durationMs,
      ...(error === undefined ? {} : { error: { kind: error.kind, message: error.message } }),
    });
    return { integrationId: id, providerId: integration.providerId, healthy, checked, durationMs, error };
  };

  const recentEvents = (integrationId: string): Promise<StoredEvent[]> => store.events.listRecent({ integrationId, limit: MAX_EVENTS });

  return {
    async createIntegration(input) {
      const operation = 'createIntegration';
      if (typeof input.providerId !== 'string' || input.providerId === '') {
        throw validationError(operation, 'providerId', 'must be a non-empty string');
      }
      if (hub.registry.get(input.providerId) === undefined) {
        const known = hub.registry.list().map((provider) => provider.manifest.id);
        throw validationError(
          operation,
          'providerId',
          `no provider "${input.providerId}" is registered in the hub (registered: ${known.length === 0 ? 'none' : known.join(', ')})`,
        );
      }
      checkName(operation, input.name);
      checkSettings(operation, input.settings);
      const created = await store.integrations.create({
        providerId: input.providerId,
        name: input.name,
        settings: input.settings ?? {},
        status: 'disabled',
      });
      await record(INTEGRATION_EVENT_TYPES.created, created.id, { providerId: created.providerId, name: created.name });
      return created;
    },
    async updateIntegration(id, changes) {
      const operation = 'updateIntegration';
      if (changes.name !== undefined) checkName(operation, changes.name);
      checkSettings(operation, changes.settings);
      const updated = await store.integrations.update(id, { name: changes.name, settings: changes.settings });
      await record(INTEGRATION_EVENT_TYPES.updated, id, {
        fields: Object.keys(changes).filter((key) => key === 'name' || key === 'settings'),
      });
      return updated;
    },
    async deleteIntegration(id) {
      await store.integrations.delete(id);
      await record(INTEGRATION_EVENT_TYPES.deleted, id);
    },
    getIntegrations: (filter) => store.integrations.list(filter),
    getIntegrationById: (id) => store.integrations.get(id),
    testConnection,
    async connect(id) {
      const before = await store.integrations.get(id);
      const result = await testConnection(id);
      if (!result.healthy) {
        await store.integrations.update(id, { status: 'error' });
        await record(INTEGRATION_EVENT_TYPES.connectFailed, id, {
          from: before.status,
          to: 'error',
          error: { kind: result.error?.kind ?? 'provider', message: result.error?.message ?? 'connection test failed' },
        });
        throw new IntegrationError({
          kind: result.error?.kind ?? 'provider',
          message: `connect: integration "${id}" failed its connection test: ${result.error?.message ?? 'unknown error'}`,
          provider: before.providerId,
          operation: 'connect',
        });
      }
      const connected = await store.integrations.update(id, { status: 'active' });
      await record(INTEGRATION_EVENT_TYPES.connected, id, { from: before.status, to: 'active' });
      return connected;
    },
    async disconnect(id) {
      const before = await store.integrations.get(id);
      if (before.status === 'disabled') return before;
      const disconnected = await store.integrations.update(id, { status: 'disabled' });
      await record(INTEGRATION_EVENT_TYPES.disconnected, id, { from: before.status, to: 'disabled' });
      return disconnected;
    },
    async getStatus(id) {
      const integration = await store.integrations.get(id);
      const [lastTest] = await store.events.listRecent({ integrationId: id, type: INTEGRATION_EVENT_TYPES.tested, limit: 1 });
      return {
        integrationId: id,
        providerId: integration.providerId,
        status: integration.status,
        providerRegistered: hub.registry.get(integration.providerId) !== undefined,
        breaker: hub.metrics()[integration.providerId]?.breaker.state,
        lastTest: lastTest === undefined ? undefined : { healthy: lastTest.payload['healthy'] === true, at: lastTest.occurredAt },
      };
    },
    async checkHealth(id) {
      const integration = await store.integrations.get(id);
      const tests = await store.events.listRecent({ integrationId: id, type: INTEGRATION_EVENT_TYPES.tested, limit: MAX_EVENTS });
      const lastHealthy = tests.find((event) => event.payload['healthy'] === true);
      const score = computeHealthScore(
        {
          metrics: hub.metrics()[integration.providerId],
          lastTestSuccessAt: lastHealthy === undefined ? undefined : Date.parse(lastHealthy.occurredAt),
          testFailed: tests.some((event) => event.payload['healthy'] !== true),
          now: clock(),
        },
        options.healthScore,
      );
      return { integrationId: id, providerId: integration.providerId, ...score };
    },
    async getMetrics(id, timeframe = '24h') {
      const windowMs = METRICS_TIMEFRAMES_MS[timeframe];
      if (windowMs === undefined) {
        throw validationError('getMetrics', 'timeframe', `must be one of ${Object.keys(METRICS_TIMEFRAMES_MS).join(', ')}`);
      }
      const integration = await store.integrations.get(id);
      const since = clock() - windowMs;
      const events = (await recentEvents(id)).filter((event) => Date.parse(event.occurredAt) >= since);
      const byType: Record<string, number> = {};
      for (const event of events) byType[event.type] = (byType[event.type] ?? 0) + 1;
      const tests = events.filter((event) => event.type === INTEGRATION_EVENT_TYPES.tested);
      const healthy = tests.filter((event) => event.payload['healthy'] === true).length;
      const durations = tests.map((event) => event.payload['durationMs']).filter((value): value is number => typeof value === 'number');
      return {
        integrationId: id,
        providerId: integration.providerId,
        timeframe,
        provider: hub.metrics()[integration.providerId],
        events: { total: events.length, byType },
        connectionTests: {
          total: tests.length,
          healthy,
          failed: tests.length - healthy,
          averageDurationMs: durations.length === 0 ? undefined : durations.reduce((sum, value) => sum + value, 0) / durations.length,
        },
      };
    },
  };
}
