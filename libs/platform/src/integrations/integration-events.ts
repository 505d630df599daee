/**
 * The event types the integrations service appends to the store's event log,
 * each with the integration's id.
 */
export const INTEGRATION_EVENT_TYPES = Object.freeze({
  created: 'integration.created',
  updated: 'integration.updated',
  deleted: 'integration.deleted',
  /** Payload: `{ healthy, durationMs, checked, error? }`. */
  tested: 'integration.tested',
  /** Payload: `{ from, to }`. */
  connected: 'integration.connected',
  /** Payload: `{ from, to, error }`. */
  connectFailed: 'integration.connect_failed',
  /** Payload: `{ from, to }`. */
  disconnected: 'integration.disconnected',
} as const);

/** One of the values of {@link INTEGRATION_EVENT_TYPES}. */
export type IntegrationEventType = (typeof INTEGRATION_EVENT_TYPES)[keyof typeof INTEGRATION_EVENT_TYPES];
