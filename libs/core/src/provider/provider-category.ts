/**
 * The families of external services Switchyard providers belong to. A provider
 * package lives under `libs/<category>/<id>` and states its category in its
 * manifest.
 */
export const PROVIDER_CATEGORIES = [
  'ai',
  'analytics',
  'cloud',
  'code',
  'communication',
  'crm',
  'e-commerce',
  'payments',
  'project-management',
  'social',
] as const;

/** One of {@link PROVIDER_CATEGORIES}. */
export type ProviderCategory = (typeof PROVIDER_CATEGORIES)[number];
