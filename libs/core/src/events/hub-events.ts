import type { ErrorKind } from '../errors/integration-error';

/** An error as events carry it: kind and (already redacted) message only. */
export interface EventError {
  readonly kind: ErrorKind;
  readonly message: string;
}

/**
 * Every event the hub emits, by type — the router's and the health checks',
 * the credential vault's (`credential.refresh`) and, for a hub given to
 * `createWebhookReceiver` of `@switchyard/platform`, the webhook receiver's
 * (`webhook.*`). {@link HUB_EVENT_TYPES} lists the types at run time.
 * Payloads never hold inputs, outputs or secrets; error messages in them are
 * redacted with the hub's secrets.
 */
export interface HubEvents {
  /** A request finished, successfully or not. */
  readonly request: {
    readonly requestId: number;
    readonly capability: string;
    readonly operation: string;
    readonly provider: string | undefined;
    readonly outcome: 'success' | 'failure';
    readonly durationMs: number;
    readonly attempts: number;
    readonly error?: EventError | undefined;
  };
  /** The router ranked the candidates for a request. */
  readonly route: {
    readonly requestId: number;
    readonly capability: string;
    readonly operation: string;
    readonly ranked: readonly { readonly provider: string; readonly score: number }[];
    readonly skipped: readonly { readonly provider: string; readonly reason: string }[];
  };
  /** One call to one provider finished. */
  readonly attempt: {
    readonly requestId: number;
    readonly provider: string;
    readonly capability: string;
    readonly operation: string;
    readonly attempt: number;
    readonly outcome: 'success' | 'failure';
    readonly durationMs: number;
    readonly error?: EventError | undefined;
  };
  /** The router left a provider for the next candidate. */
  readonly failover: {
    readonly requestId: number;
    readonly from: string;
    readonly to: string | undefined;
    readonly capability: string;
    readonly operation: string;
    readonly error: EventError;
  };
  /** A provider's circuit breaker changed state. */
  readonly breaker: {
    readonly provider: string;
    readonly from: 'closed' | 'open' | 'half-open';
    readonly to: 'closed' | 'open' | 'half-open';
    readonly reason: string;
  };
  /** A rate limit changed what the router did. */
  readonly ratelimit: {
    readonly provider: string;
    readonly action: 'queued' | 'skipped' | 'paused';
    readonly waitMs: number;
  };
  /** The credential vault refreshed (or failed to refresh) an OAuth2 access token. Never holds a token. */
  readonly 'credential.refresh': {
    readonly integrationId: string;
    /** `refreshed` by this process, `adopted` from another process that refreshed first, or `failed`. */
    readonly outcome: 'refreshed' | 'adopted' | 'failed';
    readonly durationMs: number;
    readonly error?: EventError | undefined;
  };
  /** A health check finished. */
  readonly health: {
    readonly provider: string;
    readonly healthy: boolean;
    readonly durationMs: number;
    readonly error?: EventError | undefined;
  };
  /**
   * A stateful write or delete settled on every provider it went to (for
   * `mirror`, after the quorum acknowledged it and the rest finished). Holds
   * provider ids and counts, never keys or data.
   */
  readonly placement: {
    readonly capability: string;
    readonly operation: string;
    readonly policy: string;
    readonly holders: readonly string[];
    readonly missed: readonly { readonly provider: string; readonly kind: string }[];
    /** Time until the caller had its answer, and until the last provider finished, in ms. */
    readonly acknowledgedMs: number;
    readonly settledMs: number;
  };
  /** A repair of one provider started, made progress (every batch) or finished. */
  readonly repair: {
    readonly provider: string;
    readonly phase: 'started' | 'progress' | 'finished';
    /** Resources copied to the provider, deleted from it, found already repaired, and failed, so far in this run. */
    readonly copied: number;
    readonly deleted: number;
    readonly skipped: number;
    readonly failed: number;
    /** Hints still waiting for the provider (at `finished`: after this run). */
    readonly remaining: number;
    readonly error?: EventError | undefined;
  };
  /**
   * The hub's providers or contracts changed: a provider was registered or
   * unregistered, or the host added a capability contract. The tool list
   * (`hub.tools.list()`) follows `revision`; an MCP server sends
   * `tools/list_changed` on this event.
   */
  readonly registry: {
    readonly change: 'provider.registered' | 'provider.unregistered' | 'contract.added';
    /** The provider id, or the contract's capability name. */
    readonly id: string;
    readonly revision: number;
  };
  /** The webhook receiver accepted a verified, first-seen delivery. Never holds the payload or the secret. */
  readonly 'webhook.received': {
    readonly provider: string;
    readonly integrationId: string | undefined;
    readonly deliveryId: string;
    /** The provider's event name, e.g. "issues". */
    readonly providerEvent: string;
    /** The normalized type, e.g. "issue". */
    readonly type: string;
    readonly action: string | undefined;
  };
  /** The webhook receiver saw a delivery id again (a provider retry or a replay) and did not accept it twice. */
  readonly 'webhook.duplicate': {
    readonly provider: string;
    readonly integrationId: string | undefined;
    readonly deliveryId: string;
    readonly providerEvent: string;
  };
  /** The webhook receiver refused a request: unknown provider, bad signature, body not raw or not JSON, ... */
  readonly 'webhook.rejected': {
    readonly provider: string;
    readonly integrationId: string | undefined;
    /** Known once the signature held; absent for requests refused before that. */
    readonly deliveryId: string | undefined;
    readonly error: EventError;
  };
}

/** One of the event types in {@link HubEvents}. */
export type HubEventType = keyof HubEvents;

/**
 * Every event type of {@link HubEvents}, in the order the interface declares
 * them: for a host that records them all (with `hub.events.onAny`) or checks
 * a name it was given, without writing the names out. A new event type is
 * added here too, or core does not compile.
 */
export const HUB_EVENT_TYPES = Object.freeze([
  'request',
  'route',
  'attempt',
  'failover',
  'breaker',
  'ratelimit',
  'credential.refresh',
  'health',
  'placement',
  'repair',
  'registry',
  'webhook.received',
  'webhook.duplicate',
  'webhook.rejected',
] as const satisfies readonly HubEventType[]);

/** The event types {@link HUB_EVENT_TYPES} lacks: none, or the check below fails to compile, naming them. */
type UnlistedHubEventType = Exclude<HubEventType, (typeof HUB_EVENT_TYPES)[number]>;
const everyHubEventTypeListed: [UnlistedHubEventType] extends [never] ? true : UnlistedHubEventType = true;
void everyHubEventTypeListed;
