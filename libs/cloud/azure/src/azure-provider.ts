import {
  computeV1,
  createCapabilityDispatcher,
  functionsV1,
  IntegrationError,
  loadOptionalSetting,
  storageV1,
  withoutTrailingSlash,
  type CapabilityHandlers,
  type OperationHandler,
  type ProviderHealthReport,
  type ProviderManifest,
  type ProviderV1,
  type ServiceHealth,
} from '@switchyard/core';
import { createStorageHandlers, assertContainerName } from './azure-blob';
import { createBlobConnector, isStorageConfigured, resolveStorageSettings } from './azure-blob-client';
import { createArmConnector, DEFAULT_MANAGEMENT_BASE_URL, resolveCredentials } from './azure-arm';
import { COMPUTE_API_VERSION, createComputeHandlers } from './azure-compute';
import { azureBlobError } from './azure-error';
import { createFunctionsHandlers, FUNCTIONS_API_VERSION } from './azure-functions';
import type { AzureClientCredentials, AzureComputeSettings, AzureFunctionsSettings, AzureStorageSettings } from './azure-settings';

/** Settings for {@link createAzure}. Each service is used only when its section is configured. */
export interface AzureProviderSettings {
  /**
   * Blob storage (the `storage` capability). Default: configured from
   * `AZURE_STORAGE_CONNECTION_STRING`, or `AZURE_STORAGE_ACCOUNT` with
   * `AZURE_STORAGE_KEY`, when those are set; otherwise storage is not offered.
   */
  readonly storage?: AzureStorageSettings | undefined;
  /**
   * Azure Functions (the `functions` capability): invoke through the app's
   * HTTP triggers, manage through Resource Manager. Default: not offered.
   */
  readonly functions?: AzureFunctionsSettings | undefined;
  /** Virtual machines (the `compute` capability) through Resource Manager. Default: not offered. */
  readonly compute?: AzureComputeSettings | undefined;
  /**
   * Microsoft Entra ID client credentials for Resource Manager (functions management and compute).
   * Default: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET`.
   */
  readonly credentials?: AzureClientCredentials | undefined;
  /**
   * Allow loopback and private addresses for Resource Manager and the token
   * endpoint (local fakes in tests). Default `false`: such hosts are refused.
   */
  readonly allowPrivateNetwork?: boolean | undefined;
}

/** The Azure provider: a complete provider object for `hub.register()`. */
export interface AzureProvider extends ProviderV1 {
  /** Per service (blob, functions, compute): reachable, latency and error. */
  healthCheck(context: { readonly signal: AbortSignal }): Promise<ProviderHealthReport>;
  isConfigured(): boolean;
}

/** One configured service: its contract, handlers and health probe. */
interface AzureService extends CapabilityHandlers {
  readonly service: string;
  readonly probe: (signal: AbortSignal) => Promise<void>;
}

/** Checks container names beyond the contract (Azure's stricter rules) on the parsed input, before any request. */
function withContainerNameCheck(handlers: Readonly<Record<string, OperationHandler>>): Record<string, OperationHandler> {
  const checked = Object.entries(handlers).map(([name, handler]): [string, OperationHandler] => {
    const operation = `storage.${name}`;
    return [
      name,
      async (input: Record<string, unknown>, context) => {
        const buckets = [input.bucket, (input.source as { bucket?: unknown } | undefined)?.bucket, (input.destination as { bucket?: unknown } | undefined)?.bucket];
        for (const bucket of buckets) if (typeof bucket === 'string') assertContainerName(bucket, operation);
        return handler(input as never, context);
      },
    ];
  });
  return Object.fromEntries(checked);
}

function storageService(settings: AzureProviderSettings): AzureService | undefined {
  const resolved = resolveStorageSettings(settings.storage);
  if (!isStorageConfigured(resolved)) return undefined;
  const connect = createBlobConnector(resolved);
  return {
    service: 'blob',
    contract: storageV1,
    handlers: withContainerNameCheck(createStorageHandlers(connect)),
    async probe(signal) {
      try {
        const { service } = await connect();
        await service.listContainers({ abortSignal: signal }).byPage({ maxPageSize: 1 }).next();
      } catch (error) {
        throw azureBlobError(error, 'healthCheck');
      }
    },
  };
}

function missingSetting(message: string): IntegrationError {
  return new IntegrationError({ kind: 'auth', message: `azure: ${message}`, provider: 'azure', isRetryable: false });
}

function functionsService(settings: AzureProviderSettings): AzureService | undefined {
  const functions = settings.functions;
  if (functions === undefined) return undefined;
  const managementBaseURL = withoutTrailingSlash(functions.managementBaseURL ?? DEFAULT_MANAGEMENT_BASE_URL);
  const subscriptionId = loadOptionalSetting({ settingValue: functions.subscriptionId, environmentVariableName: 'AZURE_SUBSCRIPTION_ID' });
  const allowPrivateNetwork = settings.allowPrivateNetwork === true;
  const arm = createArmConnector({ credentials: resolveCredentials(settings.credentials), managementBaseURL, allowPrivateNetwork });
  const sitePath = () => {
    if (functions.appName === undefined || functions.resourceGroup === undefined || subscriptionId === undefined) {
      throw missingSetting('functions.appName, functions.resourceGroup and functions.subscriptionId (AZURE_SUBSCRIPTION_ID) are needed to manage functions');
    }
    return `/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(functions.resourceGroup)}/providers/Microsoft.Web/sites/${encodeURIComponent(functions.appName)}`;
  };
  const invokeBaseURL = functions.baseURL ?? (functions.appName === undefined ? undefined : `https://${functions.appName}.azurewebsites.net`);
  if (invokeBaseURL === undefined) throw new IntegrationError({ kind: 'validation', message: 'azure: functions needs appName or baseURL', provider: 'azure', isRetryable: false });
  return {
    service: 'functions',
    contract: functionsV1,
    handlers: createFunctionsHandlers({
      arm,
      sitePath,
      managementBaseURL,
      invokeBaseURL: withoutTrailingSlash(invokeBaseURL),
      functionKey: loadOptionalSetting({ settingValue: functions.functionKey, environmentVariableName: 'AZURE_FUNCTIONS_KEY' }),
      functionKeys: functions.functionKeys ?? {},
      allowPrivateNetwork,
    }) as unknown as Record<string, OperationHandler>,
    async probe(signal) {
      await arm().request({ path: `${sitePath()}/functions`, query: { 'api-version': FUNCTIONS_API_VERSION }, responseType: 'none', signal });
    },
  };
}

function computeService(settings: AzureProviderSettings): AzureService | undefined {
  if (settings.compute === undefined) return undefined;
  const managementBaseURL = withoutTrailingSlash(settings.compute.managementBaseURL ?? DEFAULT_MANAGEMENT_BASE_URL);
  const subscriptionId = loadOptionalSetting({ settingValue: settings.compute.subscriptionId, environmentVariableName: 'AZURE_SUBSCRIPTION_ID' }) ?? '';
  const resourceGroup = settings.compute.resourceGroup;
  const arm = createArmConnector({
    credentials: resolveCredentials(settings.credentials),
    managementBaseURL,
    allowPrivateNetwork: settings.allowPrivateNetwork === true,
  });
  const connect = () => {
    if (subscriptionId === '') {
      throw missingSetting('compute.subscriptionId is missing (AZURE_SUBSCRIPTION_ID)');
    }
    return arm();
  };
  return {
    service: 'compute',
    contract: computeV1,
    handlers: createComputeHandlers({ arm: connect, subscriptionId, resourceGroup, managementBaseURL }) as unknown as Record<string, OperationHandler>,
    async probe(signal) {
      await connect().request({
        path: `/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(resourceGroup)}/providers/Microsoft.Compute/virtualMachines`,
        query: { 'api-version': COMPUTE_API_VERSION },
        responseType: 'none',
        signal,
      });
    },
  };
}

/**
 * Creates the Azure provider: Blob storage through `@azure/storage-blob`
 * (loaded on first use), Azure Functions (HTTP triggers plus Resource
 * Manager) and virtual machines through Resource Manager with Entra ID
 * client credentials. Throws `validation` when `functions` has neither
 * `appName` nor `baseURL`. Nothing is read from the network until an operation
 * is called.
 *
 * @example
 * ```ts
 * import { createAzure } from '@switchyard/azure';
 *
 * const azure = createAzure({ storage: { connectionString: process.env.AZURE_STORAGE_CONNECTION_STRING } });
 * ```
 */
export function createAzure(settings: AzureProviderSettings = {}): AzureProvider {
  const services = [storageService(settings), functionsService(settings), computeService(settings)].filter((service): service is AzureService => service !== undefined);
  // Parses each input against its contract, so a direct call (outside a hub) gets a typed error before any request.
  const dispatcher = createCapabilityDispatcher('azure', services);
  const manifest: ProviderManifest = Object.freeze({
    id: 'azure',
    name: 'Microsoft Azure',
    category: 'cloud',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/cloud/azure#readme',
    capabilities: dispatcher.capabilities,
    authKinds: Object.freeze(['signature', 'oauth2', 'api-key'] as const),
  });

  return {
    specificationVersion: 'v1',
    manifest,
    execute: (request, context) => dispatcher.execute(request, context),
    async healthCheck({ signal }) {
      const report: ServiceHealth[] = await Promise.all(
        services.map(async (service): Promise<ServiceHealth> => {
          const started = performance.now();
          try {
            await service.probe(signal);
            return { service: service.service, reachable: true, latencyMs: Math.round(performance.now() - started) };
          } catch (error) {
            const classified = IntegrationError.isInstance(error) ? error : azureBlobError(error, 'healthCheck');
            return {
              service: service.service,
              reachable: false,
              latencyMs: Math.round(performance.now() - started),
              error: { kind: classified.kind, message: classified.message },
            };
          }
        }),
      );
      return { services: report };
    },
    isConfigured: () => services.length > 0,
  };
}
