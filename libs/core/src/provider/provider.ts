import type { z } from 'zod';
import type { CapabilityContract, CapabilityName, OperationHints } from '../capabilities/capability';
import type { SecretSet } from '../errors/secret-set';
import type { Logger } from '../utils/logger';
import type { ProviderManifest } from './provider-manifest';
import type { ProviderWebhooks } from './provider-webhooks';

/** A routed call as the provider receives it: input already validated against the contract. */
export interface ProviderRequest {
  readonly capability: CapabilityName;
  readonly operation: string;
  readonly input: unknown;
}

/** A provider's rate-limit state as its API reported it, e.g. from GitHub's or GitLab's `x-ratelimit-*` headers. */
export interface RateLimitStatus {
  /** Calls left in the current window. */
  readonly remaining: number;
  /** Calls allowed per window. */
  readonly limit: number;
  /** When the window resets, as epoch ms. Default: the status holds until the next report. */
  readonly resetAt?: number | undefined;
}

/** What the hub hands a provider with each call. */
export interface ProviderCallContext {
  /** Aborts when the attempt times out, the request's deadline passes, or the caller aborts. Pass it to every I/O call. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt on this provider, 2 for the first retry, ... */
  readonly attempt: number;
  /** The request's idempotency key, if the caller gave one: send it where the API accepts one. */
  readonly idempotencyKey: string | undefined;
  /** When this attempt must finish, as epoch ms: the sooner of the attempt timeout and the request's deadline. */
  readonly deadline: number | undefined;
  readonly logger: Logger;
  /**
   * Tells the router what the API said about its rate limit. The share left
   * lowers the provider's score (its headroom in `hub.explain`), and at 0 the
   * router skips the provider until `resetAt`. Optional: contexts outside the
   * router (direct provider operations, tests) may not have it.
   */
  reportRateLimit?(status: RateLimitStatus): void;
}

/**
 * An operation only one provider offers (e.g. GitHub's `createRelease`):
 * callable directly with `hub.callProviderOperation()` and exposed as a tool,
 * but never routed across providers.
 */
export interface ProviderOperation<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  readonly description: string;
  readonly input: Input;
  readonly output: Output;
  readonly hints: OperationHints;
  execute(input: z.output<Input>, context: ProviderCallContext): Promise<z.input<Output>>;
}

/** One service's result within a provider's health check, e.g. S3 on AWS. */
export interface ServiceHealth {
  /** The service, e.g. "s3", "lambda", "ec2". */
  readonly service: string;
  readonly reachable: boolean;
  /** How long its probe took. */
  readonly latencyMs: number;
  /** Why it is unreachable: an error kind and a redacted message. */
  readonly error?: { readonly kind: string; readonly message: string };
}

/** What a multi-service provider's `healthCheck` returns: one entry per configured service. */
export interface ProviderHealthReport {
  readonly services: readonly ServiceHealth[];
}

/**
 * Version 1 of the provider specification: the complete object a provider
 * package's `create<Name>(settings)` returns. `hub.register(provider)` needs
 * nothing else.
 *
 * One provider object holds one set of credentials, so the hub's resilience
 * state (breaker, limits, latency) is per provider and credential.
 */
export interface ProviderV1 {
  /** Which provider specification the object implements. */
  readonly specificationVersion: 'v1';
  /** Identity, capabilities, auth kinds, rate limits and costs. */
  readonly manifest: ProviderManifest;
  /**
   * The contracts of the capabilities the manifest lists, so a hub can route
   * a capability it did not know (a host's own, e.g. `geocoding`). A hub
   * refuses a provider whose contract differs from the one it already holds
   * under that name. `defineProvider` fills it in. Default: none (the hub
   * must already know every listed capability).
   */
  readonly contracts?: readonly CapabilityContract[];
  /**
   * Runs one operation of a capability the manifest lists. Throw an
   * `IntegrationError` classifying any failure; never retry inside.
   */
  execute(request: ProviderRequest, context: ProviderCallContext): Promise<unknown>;
  /** Operations only this provider offers. */
  readonly operations?: Readonly<Record<string, ProviderOperation>>;
  /**
   * A cheap call proving the provider is reachable with its credentials;
   * throws when it is not. A provider fronting several services (S3, Lambda,
   * EC2) may instead return a report per service; the provider counts as
   * healthy only when every service is reachable.
   */
  healthCheck?(context: { readonly signal: AbortSignal }): Promise<void | ProviderHealthReport>;
  /** False when the provider has no usable credentials; the router then never picks it. Default: true. */
  isConfigured?(): boolean;
  /**
   * Why this provider would refuse input its contract accepts (a name its
   * service does not allow, such as an Azure container name with "--"), or
   * undefined when it takes it. The router asks before calling the provider
   * and tries the next one instead; `hub.explain` with an input shows the
   * reason. Default: every valid input is taken.
   */
  refuses?(request: ProviderRequest): string | undefined;
  /** How to verify and read this provider's inbound webhooks; used by `createWebhookReceiver`. */
  readonly webhooks?: ProviderWebhooks;
  /**
   * The secrets this provider holds (keys, tokens it was given or fetched,
   * their formats), so a hub it is registered with redacts them from the
   * errors, events and logs it hands out. The values cannot be read back.
   * Default: none.
   */
  readonly secrets?: SecretSet;
}
