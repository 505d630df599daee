export { createAzure, type AzureProvider, type AzureProviderSettings } from './azure-provider';
export type { AzureClientCredentials, AzureComputeSettings, AzureFunctionsSettings, AzureStorageSettings } from './azure-settings';
export { VERSION } from './version';
