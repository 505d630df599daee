import {
  loadOptionalSetting,
  withoutTrailingSlash,
  type CapabilityHandlers,
  type OperationHandler,
  type ProviderHealthReport,
  type SecretSet,
  type ServiceHealth,
} from '@switchyard/core';
import { computeV1 } from '@switchyard/core/compute';
import { functionsV1 } from '@switchyard/core/functions';
import { storageV1 } from '@switchyard/core/storage';
import { createArmConnector, DEFAULT_MANAGEMENT_BASE_URL, resolveCredentials } from './azure-arm';
import { createStorageHandlers } from './azure-blob';
import { createBlobConnector, isStorageConfigured, resolveStorageSettings } from './azure-blob-client';
import { COMPUTE_API_VERSION, createComputeHandlers } from './azure-compute';
import type { AzureErrors } from './azure-error';
import { storageInputProblem } from './azure-names';
import { createFunctionsHandlers, FUNCTIONS_API_VERSION } from './azure-functions';
import type { AzureProviderSettings } from './azure-settings';

/** What every service of one provider shares: its secrets and the error factory redacting with them. */
export interface AzureContext {
  readonly secrets: SecretSet;
  readonly errors: AzureErrors;
}

/** One configured service: its contract, handlers and health probe. */
export interface AzureService extends CapabilityHandlers {
  readonly service: 'blob' | 'functions' | 'compute';
  readonly probe: (signal: AbortSignal) => Promise<void>;
}

/** Checks container names beyond the contract (Azure's stricter rules) on the parsed input, before any request. */
function withContainerNameCheck(
  handlers: Readonly<Record<string, OperationHandler>>,
  errors: AzureErrors,
): Record<string, OperationHandler> {
  const checked = Object.entries(handlers).map(([name, handler]): [string, OperationHandler] => [
    name,
    async (input, context) => {
      const problem = storageInputProblem(input);
      if (problem !== undefined) throw errors.invalidInput(`storage.${name}`, problem);
      return handler(input, context);
    },
  ]);
  return Object.fromEntries(checked);
}

function storageService(settings: AzureProviderSettings, { secrets, errors }: AzureContext): AzureService | undefined {
  const resolved = resolveStorageSettings(settings.storage, secrets);
  if (!isStorageConfigured(resolved)) return undefined;
  const connect = createBlobConnector(resolved, errors);
  return {
    service: 'blob',
    contract: storageV1,
    handlers: withContainerNameCheck(createStorageHandlers(connect, errors), errors),
    async probe(signal) {
      try {
        await (await connect()).service.listContainers({ abortSignal: signal }).byPage({ maxPageSize: 1 }).next();
      } catch (error) {
        throw errors.fromBlob(error, 'healthCheck');
      }
    },
  };
}

/** A Resource Manager connector for one service section, and its endpoint. */
function armFor(settings: AzureProviderSettings, service: 'functions' | 'compute', context: AzureContext) {
  const baseURL = withoutTrailingSlash(settings[service]?.managementBaseURL ?? DEFAULT_MANAGEMENT_BASE_URL);
  const { dispatcher, allowPrivateNetwork } = settings;
  return {
    managementBaseURL: baseURL,
    arm: createArmConnector({
      credentials: resolveCredentials(settings.credentials, context.secrets),
      managementBaseURL: baseURL,
      dispatcher,
      allowPrivateNetwork,
      ...context,
    }),
  };
}

function functionsService(settings: AzureProviderSettings, context: AzureContext): AzureService | undefined {
  const functions = settings.functions;
  if (functions === undefined) return undefined;
  const { errors } = context;
  const missingSetting = (message: string) => errors.create({ kind: 'auth', message, isRetryable: false });
  const { arm, managementBaseURL } = armFor(settings, 'functions', context);
  const subscriptionId = loadOptionalSetting({ settingValue: functions.subscriptionId, environmentVariableName: 'AZURE_SUBSCRIPTION_ID' });
  const sitePath = () => {
    if (functions.appName === undefined || functions.resourceGroup === undefined || subscriptionId === undefined) {
      throw missingSetting(
        'functions.appName, functions.resourceGroup and functions.subscriptionId (AZURE_SUBSCRIPTION_ID) are needed to manage functions',
      );
    }
    return `/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(functions.resourceGroup)}/providers/Microsoft.Web/sites/${encodeURIComponent(functions.appName)}`;
  };
  const invokeBaseURL =
    functions.baseURL ?? (functions.appName === undefined ? undefined : `https://${functions.appName}.azurewebsites.net`);
  if (invokeBaseURL === undefined)
    throw errors.create({ kind: 'validation', message: 'functions needs appName or baseURL', isRetryable: false });
  const handlers = createFunctionsHandlers({
    arm,
    sitePath,
    managementBaseURL,
    invokeBaseURL: withoutTrailingSlash(invokeBaseURL),
    functionKey: loadOptionalSetting({ settingValue: functions.functionKey, environmentVariableName: 'AZURE_FUNCTIONS_KEY' }),
    functionKeys: functions.functionKeys ?? {},
    dispatcher: settings.dispatcher,
    allowPrivateNetwork: settings.allowPrivateNetwork,
    ...context,
  });
  return {
    service: 'functions',
    contract: functionsV1,
    handlers: handlers as unknown as Record<string, OperationHandler>,
    async probe(signal) {
      await arm().request({
        path: `${sitePath()}/functions`,
        query: { 'api-version': FUNCTIONS_API_VERSION },
        responseType: 'none',
        signal,
      });
    },
  };
}

function computeService(settings: AzureProviderSettings, context: AzureContext): AzureService | undefined {
  const compute = settings.compute;
  if (compute === undefined) return undefined;
  const { errors } = context;
  const { arm, managementBaseURL } = armFor(settings, 'compute', context);
  const subscriptionId =
    loadOptionalSetting({ settingValue: compute.subscriptionId, environmentVariableName: 'AZURE_SUBSCRIPTION_ID' }) ?? '';
  const connect = () => {
    if (subscriptionId === '') {
      throw errors.create({ kind: 'auth', message: 'compute.subscriptionId is missing (AZURE_SUBSCRIPTION_ID)', isRetryable: false });
    }
    return arm();
  };
  const machinesPath = `/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(compute.resourceGroup)}/providers/Microsoft.Compute/virtualMachines`;
  return {
    service: 'compute',
    contract: computeV1,
    handlers: createComputeHandlers({
      arm: connect,
      subscriptionId,
      resourceGroup: compute.resourceGroup,
      managementBaseURL,
      errors,
    }) as unknown as Record<string, OperationHandler>,
    async probe(signal) {
      await connect().request({ path: machinesPath, query: { 'api-version': COMPUTE_API_VERSION }, responseType: 'none', signal });
    },
  };
}

/** The services `settings` configures: blob storage, functions and compute, in that order. */
export function configuredServices(settings: AzureProviderSettings, context: AzureContext): AzureService[] {
  return [storageService(settings, context), functionsService(settings, context), computeService(settings, context)].filter(
    (service) => service !== undefined,
  );
}

/** Probes every service at once: reachable, latency, and the error kind and (redacted) message when unreachable. */
export async function checkServices(
  services: readonly AzureService[],
  errors: AzureErrors,
  signal: AbortSignal,
): Promise<ProviderHealthReport> {
  const report = await Promise.all(
    services.map(async ({ service, probe }): Promise<ServiceHealth> => {
      const started = performance.now();
      try {
        await probe(signal);
        return { service, reachable: true, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        const { kind, message } = errors.fromFailure(error, 'healthCheck');
        return { service, reachable: false, latencyMs: Math.round(performance.now() - started), error: { kind, message } };
      }
    }),
  );
  return { services: report };
}
