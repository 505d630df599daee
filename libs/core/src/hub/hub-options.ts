import type { CapabilityContract } from '../capabilities/capability';
import type { CredentialLookup } from '../credentials/credential-lookup';
import type { EventListener } from '../events/event-bus';
import type { HubEvents } from '../events/hub-events';
import type { PlacementStore } from '../placement/placement-store';
import type { ProviderV1 } from '../provider/provider';
import type { RoutingOptions } from '../router/router-options';
import type { Logger } from '../utils/logger';

// The router's options live with the router and the credential lookup with the credentials; the hub composes them.
export type { CredentialLookup } from '../credentials/credential-lookup';
export type {
  BreakerSettings,
  ExecuteOptions,
  ExecuteResult,
  PlacementOutcome,
  ProviderRoutingOptions,
  RepairSettings,
  RoutingOptions,
} from '../router/router-options';

/** Options of {@link createHub}. */
export interface HubOptions {
  /** Providers to register now; more can be added with `hub.register()`. */
  readonly providers?: readonly ProviderV1[];
  readonly routing?: RoutingOptions;
  /** Event listeners to attach now; more with `hub.events.on()`. */
  readonly events?: { readonly [Type in keyof HubEvents]?: EventListener<HubEvents[Type]> };
  /** A pino-compatible logger; default: silent. Fields are redacted. */
  readonly logger?: Logger;
  /** Which providers have credentials; default: every provider's own `isConfigured()`. */
  readonly credentials?: CredentialLookup;
  /** Contracts the hub knows before any provider registers; providers carry their own. E.g. a host's capability with no provider yet. */
  readonly capabilities?: readonly CapabilityContract[];
  /**
   * Where placement records and repair hints are kept. Default: this
   * process's memory (bounded; forgotten records make reads fall back to
   * `first-found`). `createStorePlacements(store)` of `@switchyard/platform`
   * keeps them in the SQLite or PostgreSQL store.
   */
  readonly placements?: PlacementStore;
  /** The clock circuit breakers and rate limiters read, in epoch ms; for tests. Default `Date.now`. */
  readonly clock?: () => number;
}

/** A routed call. */
export interface HubRequest {
  readonly capability: string;
  readonly operation: string;
  readonly input: unknown;
}
