export { createAzure, type AzureProvider } from './azure-provider';
export type {
  AzureClientCredentials,
  AzureComputeSettings,
  AzureFunctionsSettings,
  AzureProviderSettings,
  AzureStorageSettings,
} from './azure-settings';
export { VERSION } from './version';
