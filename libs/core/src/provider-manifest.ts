import { z } from 'zod';
import { PROVIDER_CATEGORIES } from './provider-category';

const kebabCase = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * The schema every provider manifest must satisfy. Hosts and the hub validate a
 * manifest with it when a provider is registered.
 */
export const providerManifestSchema = z.strictObject({
  id: z.string().regex(kebabCase, 'must be kebab-case, e.g. "github" or "google-cloud"'),
  name: z.string().trim().min(1, 'must not be empty'),
  category: z.enum(PROVIDER_CATEGORIES),
  capabilities: z.array(z.string().regex(kebabCase, 'must be a kebab-case capability name')),
  docsUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }),
});

/** What a provider says about itself: identity, category, capabilities and documentation. */
export type ProviderManifest = Readonly<
  Omit<z.infer<typeof providerManifestSchema>, 'capabilities'> & {
    capabilities: readonly string[];
  }
>;

/**
 * Checks a manifest and returns it, or throws a `TypeError` whose message names
 * every bad field, e.g. `Invalid provider manifest: category: Invalid option ...`.
 */
export function validateProviderManifest(manifest: unknown): ProviderManifest {
  const result = providerManifestSchema.safeParse(manifest);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(manifest)'}: ${issue.message}`,
  );
  throw new TypeError(`Invalid provider manifest: ${problems.join('; ')}`);
}
