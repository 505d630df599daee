import { defineProvider, SecretSet, type CapabilityName, type ProviderV1 } from '@switchyard/core';
import { createGcpErrors } from './gcp-error';
import { gcsNameProblem } from './gcp-names';
import { gcpHealthReport } from './gcp-health';
import { createGcpServices } from './gcp-services';
import type { GcpProviderSettings } from './gcp-settings';

export type { GcpComputeSettings, GcpFunctionsSettings, GcpProviderSettings, GcpStorageSettings } from './gcp-settings';
export type { GcpServiceAccountCredentials } from './gcp-auth';

/** The Google Cloud provider: a complete provider object for `hub.register()`. */
export interface GcpProvider extends ProviderV1 {
  /** The capabilities this provider object offers: `storage`, plus `functions` and `compute` when configured. */
  readonly services: readonly CapabilityName[];
}

/**
 * Creates the Google Cloud provider: Cloud Storage (`storage` v1) always,
 * Cloud Functions (`functions` v1) when `functions` settings are given, and
 * Compute Engine (`compute` v1) when `compute` settings are given. Nothing
 * is read, loaded or sent until an operation runs; the Storage SDK is
 * imported on first use. Input with a name Google does not allow (a bucket
 * starting with "goog", a reserved object name, a function name ending in
 * "-") is refused (`refuses`), so a hub tries the next provider.
 *
 * @example
 * ```ts
 * import { createGcp } from '@switchyard/gcp';
 *
 * const gcp = createGcp({ projectId: 'my-project', functions: { location: 'europe-west1' }, compute: { zones: ['europe-west1-b'] } });
 * ```
 */
export function createGcp(settings: GcpProviderSettings = {}): GcpProvider {
  const secrets = new SecretSet();
  secrets.addPattern(/\bya29\.[\w-]+/g); // Google OAuth2 access tokens
  secrets.add(typeof settings.accessToken === 'string' ? settings.accessToken : undefined);
  secrets.add(settings.credentials?.privateKey);
  const errors = createGcpErrors(secrets);
  const services = createGcpServices(settings, { secrets, errors });
  return defineProvider({
    id: 'gcp',
    name: 'Google Cloud',
    category: 'cloud',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/cloud/gcp#readme',
    authKinds: ['jwt', 'oauth2', 'sdk-chain'],
    capabilities: services.map((service) => service.handlers),
    healthCheck: ({ signal }) => gcpHealthReport(services, errors, signal),
    refuses: (request) => gcsNameProblem(request.capability, request.input),
    secrets,
    properties: { services: Object.freeze(services.map((service) => service.capability)) },
  });
}
