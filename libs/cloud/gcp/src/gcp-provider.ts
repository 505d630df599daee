import {
  IntegrationError,
  loadOptionalSetting,
  computeV1,
  createCapabilityDispatcher,
  functionsV1,
  registerSecret,
  storageV1,
  withoutTrailingSlash,
  type CapabilityContract,
  type CapabilityHandlers,
  type CapabilityName,
  type OperationHandler,
  type ProviderManifest,
  type ProviderV1,
  type ServiceHealth,
} from '@switchyard/core';
import type { Storage } from '@google-cloud/storage';
import { resolveCredentials, serviceAccountIdTokens, type ResolvedCredentials } from './gcp-auth';
import { gcpStorageError } from './gcp-error';
import { gcsNameProblem } from './gcp-names';
import type { GcpProviderSettings } from './gcp-settings';
import { createComputeHandlers } from './gcp-compute';
import { createFunctionsHandlers } from './gcp-functions';
import { createGoogleRestClient, googleRestAuth, type GoogleRestSettings } from './gcp-rest';
import { createStorageHandlers, withSignal } from './gcp-storage';

export type { GcpComputeSettings, GcpFunctionsSettings, GcpProviderSettings, GcpStorageSettings } from './gcp-settings';
export type { GcpServiceAccountCredentials } from './gcp-auth';

/** The Google Cloud provider: a complete provider object for `hub.register()`. */
export interface GcpProvider extends ProviderV1 {
  /** The capabilities this provider object offers: `storage`, plus `functions` and `compute` when configured. */
  readonly services: readonly CapabilityName[];
}

type Handler = (input: never, signal: AbortSignal) => Promise<unknown>;

interface ServiceEntry {
  readonly contract: CapabilityContract;
  readonly handlers: Readonly<Record<string, Handler>>;
  /** A cheap authenticated call proving the service answers. */
  readonly probe: (signal: AbortSignal) => Promise<unknown>;
}

const DEFAULT_FUNCTIONS_BASE_URL = 'https://cloudfunctions.googleapis.com';
const DEFAULT_COMPUTE_BASE_URL = 'https://compute.googleapis.com/compute/v1';

const DOCS_URL = 'https://github.com/switchyard-dev/switchyard/tree/main/libs/cloud/gcp#readme';

function validationError(operation: string, message: string): IntegrationError {
  return new IntegrationError({ kind: 'validation', message: `gcp: ${operation}: ${message}`, provider: 'gcp', operation, isRetryable: false });
}

/** Adapts a service for the dispatcher: Google's naming rules run on the parsed input, then the handler gets the signal. */
function bind(capability: CapabilityName, { contract, handlers }: ServiceEntry): CapabilityHandlers {
  const adapted = Object.entries(handlers).map(([name, handler]): [string, OperationHandler] => [
    name,
    async (input, { signal }) => {
      const problem = gcsNameProblem(capability, input);
      if (problem !== undefined) throw validationError(`${capability}.${name}`, problem);
      return handler(input, signal);
    },
  ]);
  return { contract, handlers: Object.fromEntries(adapted) };
}

/**
 * Creates the Google Cloud provider: Cloud Storage (`storage` v1) always,
 * Cloud Functions (`functions` v1) when `functions` settings are given, and
 * Compute Engine (`compute` v1) when `compute` settings are given. Nothing
 * is read, loaded or sent until an operation runs; the Storage SDK is
 * imported on first use.
 *
 * @example
 * ```ts
 * import { createGcp } from '@switchyard/gcp';
 *
 * const gcp = createGcp({ projectId: 'my-project', functions: { location: 'europe-west1' }, compute: { zones: ['europe-west1-b'] } });
 * ```
 */
export function createGcp(settings: GcpProviderSettings = {}): GcpProvider {
  let credentials: ResolvedCredentials | undefined;
  const loadCredentials = (): ResolvedCredentials => (credentials ??= resolveCredentials(settings));
  const projectId = (): string | undefined =>
    loadOptionalSetting({ settingValue: settings.projectId, environmentVariableName: 'GOOGLE_CLOUD_PROJECT' }) ?? loadCredentials().projectId;
  if (typeof settings.accessToken === 'string') registerSecret(settings.accessToken);
  if (settings.credentials !== undefined) registerSecret(settings.credentials.privateKey);

  let storageClient: Promise<Storage> | undefined;
  const storage = (): Promise<Storage> => {
    storageClient ??= (async () => {
      const resolved = loadCredentials();
      const { Storage: StorageClient } = await import('@google-cloud/storage');
      const project = projectId();
      return new StorageClient({
        ...(project === undefined ? {} : { projectId: project }),
        ...(settings.storage?.apiEndpoint === undefined ? {} : { apiEndpoint: settings.storage.apiEndpoint }),
        ...(resolved.serviceAccount === undefined
          ? resolved.keyFilename === undefined
            ? {}
            : { keyFilename: resolved.keyFilename }
          : { credentials: { client_email: resolved.serviceAccount.clientEmail, private_key: resolved.serviceAccount.privateKey } }),
        // The hub's router retries; the SDK must not retry underneath it.
        retryOptions: { autoRetry: false, maxRetries: 0 },
      });
    })().catch((error: unknown) => {
      storageClient = undefined;
      throw error;
    });
    return storageClient;
  };

  const services = new Map<CapabilityName, ServiceEntry>();
  services.set('storage', {
    contract: storageV1,
    handlers: createStorageHandlers({ storage, projectId, canSign: () => loadCredentials().serviceAccount !== undefined }),
    async probe(signal) {
      const project = projectId();
      if (project === undefined) throw validationError('storage.health', 'needs a project to list buckets: set projectId or GOOGLE_CLOUD_PROJECT');
      try {
        const client = await storage();
        await withSignal(signal, 'storage.health', () => client.getBuckets({ maxResults: 1, autoPaginate: false }));
      } catch (error) {
        throw gcpStorageError(error, { operation: 'storage.health' });
      }
    },
  });

  const requireProjectId = (): string => {
    const project = projectId();
    if (project === undefined) {
      // tagOperation adds the operation this surfaced in.
      throw new IntegrationError({
        kind: 'validation',
        message: 'gcp: Cloud Functions and Compute Engine need a project: set projectId or GOOGLE_CLOUD_PROJECT',
        provider: 'gcp',
        isRetryable: false,
      });
    }
    return project;
  };
  const restSettings: GoogleRestSettings = {
    accessToken: settings.accessToken,
    serviceAccount: () => loadCredentials().serviceAccount,
    tokenURL: settings.tokenURL,
    dispatcher: settings.dispatcher,
    allowPrivateNetwork: settings.allowPrivateNetwork,
  };
  // One auth strategy for both REST APIs, so they share one cached access token.
  const restAuth = googleRestAuth(restSettings);

  if (settings.functions !== undefined) {
    const functionsSettings = settings.functions;
    const functionsBaseURL = withoutTrailingSlash(functionsSettings.baseURL ?? DEFAULT_FUNCTIONS_BASE_URL);
    let client: ReturnType<typeof createGoogleRestClient> | undefined;
    const plainClients = new Map<string, ReturnType<typeof createGoogleRestClient>>();
    const handlers = createFunctionsHandlers({
      client: () => (client ??= createGoogleRestClient(functionsBaseURL, restAuth, restSettings)),
      plainClient: (origin) => {
        let plain = plainClients.get(origin);
        if (plain === undefined) {
          plain = createGoogleRestClient(origin, undefined, restSettings);
          plainClients.set(origin, plain);
        }
        return plain;
      },
      projectId: requireProjectId,
      location: functionsSettings.location,
      defaultRuntime: functionsSettings.defaultRuntime ?? 'nodejs22',
      pollIntervalMs: functionsSettings.pollIntervalMs ?? 2000,
      idToken: serviceAccountIdTokens(restSettings),
    });
    services.set('functions', {
      contract: functionsV1,
      handlers,
      probe: (signal) => handlers.listFunctions({ limit: 1 }, signal),
    });
  }

  if (settings.compute !== undefined) {
    const computeBaseURL = withoutTrailingSlash(settings.compute.baseURL ?? DEFAULT_COMPUTE_BASE_URL);
    let client: ReturnType<typeof createGoogleRestClient> | undefined;
    const handlers = createComputeHandlers({
      client: () => (client ??= createGoogleRestClient(computeBaseURL, restAuth, restSettings)),
      projectId: requireProjectId,
      zones: settings.compute.zones ?? [],
    });
    services.set('compute', {
      contract: computeV1,
      handlers,
      probe: (signal) => handlers.listInstances({ limit: 1 }, signal),
    });
  }

  // Parses each input against its contract, so nothing invalid is sent even on a direct call (outside a hub).
  const dispatcher = createCapabilityDispatcher('gcp', [...services].map(([capability, service]) => bind(capability, service)));
  const manifest: ProviderManifest = Object.freeze({
    id: 'gcp',
    name: 'Google Cloud',
    category: 'cloud',
    docsUrl: DOCS_URL,
    capabilities: dispatcher.capabilities,
    authKinds: Object.freeze(['jwt', 'oauth2', 'sdk-chain'] as const),
  });

  return {
    specificationVersion: 'v1',
    manifest,
    services: Object.freeze([...services.keys()]),
    execute: (request, context) => dispatcher.execute(request, context),
    async healthCheck({ signal }) {
      // Every offered service is probed at once; the report keeps the manifest's order.
      const report = await Promise.all(
        [...services].map(async ([name, service]): Promise<ServiceHealth> => {
          const started = performance.now();
          try {
            await service.probe(signal);
            return { service: name, reachable: true, latencyMs: Math.round(performance.now() - started) };
          } catch (error) {
            const classified = IntegrationError.isInstance(error) ? error : new IntegrationError({ kind: 'provider', message: String(error), cause: error });
            return {
              service: name,
              reachable: false,
              latencyMs: Math.round(performance.now() - started),
              error: { kind: classified.kind, message: classified.message },
            };
          }
        }),
      );
      return { services: report };
    },
  };
}
