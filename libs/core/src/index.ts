export { VERSION } from './version';
export { PROVIDER_CATEGORIES, type ProviderCategory } from './provider-category';
export {
  providerManifestSchema,
  validateProviderManifest,
  type ProviderManifest,
} from './provider-manifest';
export type { ProviderV1 } from './provider';
export {
  loadOptionalSetting,
  withoutTrailingSlash,
  type LoadOptionalSettingOptions,
} from './load-setting';
