import {
  withoutTrailingSlash,
  type CapabilityContract,
  type CapabilityHandlers,
  type CapabilityName,
  type OperationHandler,
} from '@switchyard/core';
import { computeV1 } from '@switchyard/core/compute';
import { functionsV1 } from '@switchyard/core/functions';
import { storageV1 } from '@switchyard/core/storage';
import type { AuthStrategy, HttpClient } from '@switchyard/http';
import { createComputeHandlers } from './gcp-compute';
import { serviceAccountIdTokens, type GcpSecrets } from './gcp-auth';
import { createGcpContext, type GcpContext } from './gcp-context';
import { createFunctionsHandlers } from './gcp-functions';
import { gcsNameProblem } from './gcp-names';
import { createGoogleRestClient, googleRestAuth, type GoogleRestSettings } from './gcp-rest';
import type { GcpComputeSettings, GcpFunctionsSettings, GcpProviderSettings } from './gcp-settings';
import { createStorageHandlers, withSignal } from './gcp-storage';
import { lazyStorageClient } from './gcp-storage-client';

const DEFAULT_FUNCTIONS_BASE_URL = 'https://cloudfunctions.googleapis.com';
const DEFAULT_COMPUTE_BASE_URL = 'https://compute.googleapis.com/compute/v1';

/** One capability the provider offers: its contract and handlers for `defineProvider`, and a probe for the health check. */
export interface GcpService {
  readonly capability: CapabilityName;
  readonly handlers: CapabilityHandlers;
  /** A cheap authenticated call proving the service answers. */
  readonly probe: (signal: AbortSignal) => Promise<unknown>;
}

type Handler = (input: never, signal: AbortSignal) => Promise<unknown>;

/** The REST APIs' settings and their one auth strategy, so Cloud Functions and Compute Engine share one cached access token. */
interface GoogleRest {
  readonly settings: GoogleRestSettings;
  readonly auth: AuthStrategy;
}

/** Adapts handlers for the dispatcher: Google's naming rules run on the parsed input, then the handler gets the signal. */
function service(
  { errors }: GcpContext,
  capability: CapabilityName,
  contract: CapabilityContract,
  handlers: Readonly<Record<string, Handler>>,
  probe: GcpService['probe'],
): GcpService {
  const adapted = Object.entries(handlers).map(([name, handler]): [string, OperationHandler] => [
    name,
    async (input, { signal }) => {
      const problem = gcsNameProblem(capability, input);
      if (problem !== undefined) throw errors.invalidInput(`${capability}.${name}`, problem);
      return handler(input, signal);
    },
  ]);
  return { capability, handlers: { contract, handlers: Object.fromEntries(adapted) }, probe };
}

function storageService(context: GcpContext): GcpService {
  const { errors } = context;
  const storage = lazyStorageClient(context);
  const handlers = createStorageHandlers({
    storage,
    projectId: context.projectId,
    canSign: () => context.credentials().serviceAccount !== undefined,
    errors,
  });
  return service(context, 'storage', storageV1, handlers, async (signal) => {
    if (context.projectId() === undefined)
      throw errors.invalidInput('storage.health', 'needs a project to list buckets: set projectId or GOOGLE_CLOUD_PROJECT');
    try {
      const client = await storage();
      await withSignal(signal, 'storage.health', errors, () => client.getBuckets({ maxResults: 1, autoPaginate: false }));
    } catch (error) {
      throw errors.fromStorage(error, 'storage.health');
    }
  });
}

function functionsService(context: GcpContext, rest: GoogleRest, settings: GcpFunctionsSettings): GcpService {
  const baseURL = withoutTrailingSlash(settings.baseURL ?? DEFAULT_FUNCTIONS_BASE_URL);
  let client: HttpClient | undefined;
  const plainClients = new Map<string, HttpClient>();
  const plainClient = (origin: string): HttpClient => {
    const existing = plainClients.get(origin) ?? createGoogleRestClient(origin, undefined, rest.settings);
    plainClients.set(origin, existing);
    return existing;
  };
  const handlers = createFunctionsHandlers({
    client: () => (client ??= createGoogleRestClient(baseURL, rest.auth, rest.settings)),
    plainClient,
    projectId: context.requireProjectId,
    location: settings.location,
    defaultRuntime: settings.defaultRuntime ?? 'nodejs22',
    pollIntervalMs: settings.pollIntervalMs ?? 2000,
    idToken: serviceAccountIdTokens(rest.settings),
    errors: context.errors,
  });
  return service(context, 'functions', functionsV1, handlers, (signal) => handlers.listFunctions({ limit: 1 }, signal));
}

function computeService(context: GcpContext, rest: GoogleRest, settings: GcpComputeSettings): GcpService {
  const baseURL = withoutTrailingSlash(settings.baseURL ?? DEFAULT_COMPUTE_BASE_URL);
  let client: HttpClient | undefined;
  const handlers = createComputeHandlers({
    client: () => (client ??= createGoogleRestClient(baseURL, rest.auth, rest.settings)),
    projectId: context.requireProjectId,
    zones: settings.zones ?? [],
    errors: context.errors,
  });
  return service(context, 'compute', computeV1, handlers, (signal) => handlers.listInstances({ limit: 1 }, signal));
}

/**
 * The services a provider object offers, in manifest order: Cloud Storage
 * always, Cloud Functions and Compute Engine when their settings are given.
 * Nothing is read, loaded or sent until an operation runs. Every secret
 * they learn goes into `secrets`; every error they build, through `errors`.
 */
export function createGcpServices(settings: GcpProviderSettings, { secrets, errors }: GcpSecrets): GcpService[] {
  const context = createGcpContext(settings, { secrets, errors });
  const { accessToken, tokenURL, dispatcher, allowPrivateNetwork } = settings;
  const restSettings: GoogleRestSettings = {
    accessToken,
    tokenURL,
    dispatcher,
    allowPrivateNetwork,
    secrets,
    errors,
    serviceAccount: () => context.credentials().serviceAccount,
  };
  const rest: GoogleRest = { settings: restSettings, auth: googleRestAuth(restSettings) };
  return [
    storageService(context),
    ...(settings.functions === undefined ? [] : [functionsService(context, rest, settings.functions)]),
    ...(settings.compute === undefined ? [] : [computeService(context, rest, settings.compute)]),
  ];
}
