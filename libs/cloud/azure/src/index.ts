export { createAzure, type AzureProvider, type AzureProviderSettings } from './azure-provider';
export type { AzureStorageSettings } from './azure-settings';
export { VERSION } from './version';
