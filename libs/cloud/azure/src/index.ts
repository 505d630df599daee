export { createAzure, type AzureProvider, type AzureProviderSettings } from './azure-provider';
export { VERSION } from './version';
