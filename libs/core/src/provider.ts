import type { ProviderManifest } from './provider-manifest';

/**
 * Version 1 of the provider specification: the complete object a provider
 * package's `create<Name>(settings)` factory returns and hands to core.
 * Operations are added to this interface as capabilities enter core.
 */
export interface ProviderV1 {
  /** Which provider specification the object implements. */
  readonly specificationVersion: 'v1';
  /** Identity, category and capabilities of the provider. */
  readonly manifest: ProviderManifest;
}
