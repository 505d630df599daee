import { defineProvider, type ProviderHealthReport, type ProviderV1 } from '@switchyard/core';
import { createAzureErrors } from './azure-error';
import { storageInputProblem } from './azure-names';
import { createAzureSecrets } from './azure-secrets';
import { checkServices, configuredServices } from './azure-services';
import type { AzureProviderSettings } from './azure-settings';

/** The Azure provider: a complete provider object for `hub.register()`. */
export interface AzureProvider extends ProviderV1 {
  /** Per service (blob, functions, compute): reachable, latency and error. */
  healthCheck(context: { readonly signal: AbortSignal }): Promise<ProviderHealthReport>;
  /** Whether at least one service is configured (in settings or the environment). */
  isConfigured(): boolean;
}

/**
 * Creates the Azure provider: Blob storage through `@azure/storage-blob`
 * (loaded on first use), Azure Functions (HTTP triggers plus Resource
 * Manager) and virtual machines through Resource Manager with Entra ID
 * client credentials. Each capability is offered only when its section is
 * configured. Throws `validation` when `functions` has neither `appName` nor
 * `baseURL`. Nothing is read from the network until an operation is called.
 * Storage input with a container name Azure does not allow (dots, `--`) is
 * refused (`refuses`), so a hub tries the next storage provider.
 *
 * @example
 * ```ts
 * import { createAzure } from '@switchyard/azure';
 *
 * const azure = createAzure({ storage: { connectionString: process.env.AZURE_STORAGE_CONNECTION_STRING } });
 * ```
 */
export function createAzure(settings: AzureProviderSettings = {}): AzureProvider {
  const secrets = createAzureSecrets();
  const errors = createAzureErrors(secrets);
  const services = configuredServices(settings, { secrets, errors });
  const storageConfigured = services.some((service) => service.service === 'blob');
  return defineProvider({
    id: 'azure',
    name: 'Microsoft Azure',
    category: 'cloud',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/cloud/azure#readme',
    authKinds: ['signature', 'oauth2', 'api-key'],
    capabilities: services,
    healthCheck: ({ signal }) => checkServices(services, errors, signal),
    isConfigured: () => services.length > 0,
    refuses: (request) => (request.capability === 'storage' && storageConfigured ? storageInputProblem(request.input) : undefined),
    secrets,
  });
}
