/**
 * The families of external services Switchyard providers belong to. A provider
 * package lives under `libs/<category>/<id>` and states its category in its
 * manifest.
 */
export const PROVIDER_CATEGORIES = [
  'cloud',
  'code',
  'communication',
  'e-commerce',
  'project-management',
] as const;

/** One of {@link PROVIDER_CATEGORIES}. */
export type ProviderCategory = (typeof PROVIDER_CATEGORIES)[number];
