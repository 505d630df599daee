import { z } from 'zod';
import { CAPABILITY_NAME_PATTERN, type CapabilityName } from '../capabilities/capability';
import { IntegrationError } from '../errors/integration-error';
import { PROVIDER_CATEGORIES } from './provider-category';

const kebabCase = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** How a provider authenticates. */
export const AUTH_KINDS = ['none', 'api-key', 'bearer', 'basic', 'oauth2', 'jwt', 'signature', 'sdk-chain'] as const;

/** A rate limit the provider documents: at most `requests` per `intervalMs`. */
export const rateLimitSchema = z.strictObject({
  requests: z.number().int().positive(),
  intervalMs: z.number().int().positive(),
});

const capabilityEntrySchema = z.strictObject({
  name: z.string().regex(CAPABILITY_NAME_PATTERN, 'must be a lowercase kebab-case capability name, e.g. "storage" or "geocoding"'),
  version: z.number().int().positive(),
  operations: z.array(z.string().min(1)).min(1, 'must list at least one operation'),
});

/**
 * The schema every provider manifest must satisfy. Any well-formed capability
 * name passes here; the hub checks each listed capability and operation
 * against the contracts it knows (core's, the host's and those the provider
 * carries) when a provider is registered.
 */
export const providerManifestSchema = z.strictObject({
  id: z.string().regex(kebabCase, 'must be kebab-case, e.g. "github" or "google-cloud"'),
  name: z.string().trim().min(1, 'must not be empty'),
  category: z.enum(PROVIDER_CATEGORIES),
  docsUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }),
  capabilities: z.array(capabilityEntrySchema),
  authKinds: z.array(z.enum(AUTH_KINDS)),
  /** Documented rate limits; the hub throttles below them. */
  rateLimits: z.array(rateLimitSchema).optional(),
  /** Cost per call by `capability.operation` (or provider-specific operation name), in US dollars. */
  costs: z.record(z.string(), z.number().nonnegative()).optional(),
});

/** One capability a provider implements, with the operations it supports. */
export interface ProviderCapability {
  readonly name: CapabilityName;
  readonly version: number;
  readonly operations: readonly string[];
}

/** What a provider says about itself: identity, capabilities, auth, limits, costs and docs. */
export interface ProviderManifest {
  readonly id: string;
  readonly name: string;
  readonly category: z.infer<typeof providerManifestSchema>['category'];
  readonly docsUrl: string;
  readonly capabilities: readonly ProviderCapability[];
  readonly authKinds: readonly (typeof AUTH_KINDS)[number][];
  readonly rateLimits?: readonly { readonly requests: number; readonly intervalMs: number }[] | undefined;
  readonly costs?: Readonly<Record<string, number>> | undefined;
}

/**
 * Checks a manifest's shape and returns it, or throws a `validation`
 * `IntegrationError` whose message names every bad field, e.g.
 * `Invalid provider manifest: category: Invalid option ...`.
 */
export function validateProviderManifest(manifest: unknown): ProviderManifest {
  const result = providerManifestSchema.safeParse(manifest);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(manifest)'}: ${issue.message}`);
  throw new IntegrationError({
    kind: 'validation',
    message: `Invalid provider manifest: ${problems.join('; ')}`,
    details: result.error.issues,
  });
}
