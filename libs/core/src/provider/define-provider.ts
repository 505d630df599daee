import type { z } from 'zod';
import type { SecretSet } from '../errors/secret-set';
import { createCapabilityDispatcher, type CapabilityHandlers } from './capability-dispatcher';
import type { ProviderHealthReport, ProviderOperation, ProviderV1 } from './provider';
import type { AUTH_KINDS, ProviderManifest } from './provider-manifest';
import type { ProviderWebhooks } from './provider-webhooks';

/** Everything {@link defineProvider} needs; only identity and capabilities are required. */
export interface ProviderDefinition<Properties extends object = object> {
  /** Kebab-case id, e.g. `github`: the hub's key, and the prefix of every error message. */
  readonly id: string;
  /** Display name, e.g. `GitHub`. */
  readonly name: string;
  readonly category: ProviderManifest['category'];
  /** An https URL of the provider package's guide. */
  readonly docsUrl: string;
  readonly authKinds: readonly (typeof AUTH_KINDS)[number][];
  /** Each capability served: its contract and a handler per supported operation (input arrives parsed). */
  readonly capabilities: readonly CapabilityHandlers[];
  /** Operations only this provider offers, callable directly and listed as tools. Default: none. */
  readonly operations?: Readonly<Record<string, ProviderOperation<z.ZodType, z.ZodType>>> | undefined;
  /** Inbound webhook verification and normalization. Default: none. */
  readonly webhooks?: ProviderWebhooks | undefined;
  /** A cheap authenticated call; throws (or reports per service) when the provider is unreachable. Default: none. */
  readonly healthCheck?: ((context: { readonly signal: AbortSignal }) => Promise<void | ProviderHealthReport>) | undefined;
  /** False when no usable credentials are set, so the router never picks the provider. Default: always true. */
  readonly isConfigured?: (() => boolean) | undefined;
  /** Why the provider would refuse input its contract accepts (`ProviderV1.refuses`). Default: it takes every valid input. */
  readonly refuses?: ProviderV1['refuses'] | undefined;
  /** Documented rate limits; the hub throttles below them. Default: none. */
  readonly rateLimits?: ProviderManifest['rateLimits'];
  /** Cost per call in US dollars, by `capability.operation`. Default: none. */
  readonly costs?: ProviderManifest['costs'];
  /** The provider's secrets, for the hubs it joins to redact (`ProviderV1.secrets`). Default: none. */
  readonly secrets?: SecretSet | undefined;
  /** Read-only extras the provider object carries, e.g. `{ baseURL }`. Never a secret. Default: none. */
  readonly properties?: Properties | undefined;
}

/** The optional parts a definition gave, typed as given (so `provider.healthCheck` needs no `!`). */
type GivenParts<Definition> = {
  readonly [Key in Extract<keyof Definition, 'operations' | 'webhooks' | 'healthCheck' | 'isConfigured'>]-?: Exclude<
    Definition[Key],
    undefined
  >;
};

/** The definition's `properties`, read-only on the provider. */
type PropertiesOf<Definition> = Definition extends { readonly properties?: infer Properties }
  ? Readonly<Exclude<Properties, undefined>>
  : unknown;

/** What {@link defineProvider} returns for a definition: `ProviderV1` with the parts and properties it was given. */
export type DefinedProvider<Definition> = ProviderV1 & GivenParts<Definition> & PropertiesOf<Definition>;

/**
 * Builds a complete, frozen provider object from its parts: the manifest
 * (capabilities listed from the handlers given), the contracts served (so a
 * hub routes a host's own capability too), `execute` dispatching by
 * capability and operation with input parsed against the contract before any
 * handler runs, and the optional operations, webhooks, health check and
 * `isConfigured`. A provider's `create<Name>(settings)` resolves its settings
 * and returns this.
 *
 * @example
 * ```ts
 * export function createAcme(settings: AcmeSettings = {}): ProviderV1 {
 *   const client = createAcmeClient(settings);
 *   return defineProvider({
 *     id: 'acme',
 *     name: 'Acme',
 *     category: 'crm',
 *     docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/crm/acme#readme',
 *     authKinds: ['api-key'],
 *     capabilities: [{ contract: crmV1, handlers: createCrmHandlers(client) }],
 *     isConfigured: () => client.configured,
 *   });
 * }
 * ```
 */
export function defineProvider<const Definition extends ProviderDefinition<object>>(definition: Definition): DefinedProvider<Definition> {
  const dispatcher = createCapabilityDispatcher(definition.id, definition.capabilities);
  const manifest: ProviderManifest = Object.freeze({
    id: definition.id,
    name: definition.name,
    category: definition.category,
    docsUrl: definition.docsUrl,
    capabilities: dispatcher.capabilities,
    authKinds: Object.freeze([...definition.authKinds]),
    ...(definition.rateLimits === undefined
      ? {}
      : { rateLimits: Object.freeze(definition.rateLimits.map((limit) => Object.freeze({ ...limit }))) }),
    ...(definition.costs === undefined ? {} : { costs: Object.freeze({ ...definition.costs }) }),
  });
  const provider: ProviderV1 = {
    specificationVersion: 'v1',
    manifest,
    contracts: dispatcher.contracts,
    execute: (request, context) => dispatcher.execute(request, context),
    ...(definition.operations === undefined ? {} : { operations: Object.freeze({ ...definition.operations }) }),
    ...(definition.webhooks === undefined ? {} : { webhooks: definition.webhooks }),
    ...(definition.healthCheck === undefined ? {} : { healthCheck: definition.healthCheck }),
    ...(definition.isConfigured === undefined ? {} : { isConfigured: definition.isConfigured }),
    ...(definition.refuses === undefined ? {} : { refuses: definition.refuses }),
    ...(definition.secrets === undefined ? {} : { secrets: definition.secrets }),
  };
  return Object.freeze({ ...definition.properties, ...provider }) as DefinedProvider<Definition>;
}
