import type { HttpTransportSettings } from '@switchyard/http';
import type { GcpServiceAccountCredentials } from './gcp-auth';

/** Cloud Storage settings of {@link GcpProviderSettings}. */
export interface GcpStorageSettings {
  /**
   * The JSON API endpoint, e.g. `http://127.0.0.1:9199` for a local emulator:
   * the `@google-cloud/storage` SDK's equivalent of `baseURL` (its `apiEndpoint`
   * option). The SDK sends through its own HTTP stack, so `dispatcher` and
   * `allowPrivateNetwork` do not apply to it; requests to a custom endpoint
   * are sent without credentials, as the SDK does. Default: `https://storage.googleapis.com`.
   */
  readonly apiEndpoint?: string | undefined;
}

/** Cloud Functions (2nd gen) settings of {@link GcpProviderSettings}; giving them turns on the `functions` capability. */
export interface GcpFunctionsSettings {
  /** The region functions live in, e.g. `europe-west1`. Required. */
  readonly location: string;
  /** The Cloud Functions API origin. Default: `https://cloudfunctions.googleapis.com`. */
  readonly baseURL?: string | undefined;
  /**
   * The runtime used when `deployFunction` names none, e.g. `nodejs22`.
   * Default: `nodejs22`.
   */
  readonly defaultRuntime?: string | undefined;
  /** How often deploy and delete poll their long-running operation, in ms. Default: 2000. */
  readonly pollIntervalMs?: number | undefined;
}

/** Compute Engine settings of {@link GcpProviderSettings}; giving them turns on the `compute` capability. */
export interface GcpComputeSettings {
  /**
   * The zones whose instances are listed, e.g. `['europe-west1-b']`.
   * Default: every zone (the `aggregated/instances` API).
   */
  readonly zones?: readonly string[] | undefined;
  /** The Compute Engine API base, up to and including `/compute/v1`. Default: `https://compute.googleapis.com/compute/v1`. */
  readonly baseURL?: string | undefined;
}

/**
 * Settings for {@link createGcp}. Every field is optional; nothing is read
 * until an operation runs. The transport settings (`dispatcher`,
 * `allowPrivateNetwork`) are `@switchyard/http`'s and apply to the REST APIs
 * and the token endpoint; there is no top-level `baseURL`, since each service
 * has its own: `functions.baseURL`, `compute.baseURL` and, for the Storage
 * SDK, `storage.apiEndpoint`.
 */
export interface GcpProviderSettings extends Omit<HttpTransportSettings, 'baseURL'> {
  /**
   * The project buckets are created in and functions and instances belong to.
   * Default: the `GOOGLE_CLOUD_PROJECT` environment variable, else the key file's `project_id`.
   */
  readonly projectId?: string | undefined;
  /**
   * A service account's key. Default: the JSON key file at `keyFilename`,
   * else Application Default Credentials (Storage only).
   */
  readonly credentials?: GcpServiceAccountCredentials | undefined;
  /**
   * Path to a JSON key file (service account, or user credentials for Storage).
   * Default: the `GOOGLE_APPLICATION_CREDENTIALS` environment variable.
   */
  readonly keyFilename?: string | undefined;
  /**
   * An OAuth2 access token for the Cloud Functions and Compute Engine APIs
   * (e.g. from `gcloud auth print-access-token`), or a function returning a
   * fresh one; used instead of a service account there. Default: none.
   */
  readonly accessToken?: string | (() => string | Promise<string>) | undefined;
  /** Cloud Storage settings. Default: `{}` (the public endpoint). */
  readonly storage?: GcpStorageSettings | undefined;
  /** Cloud Functions settings; without them the provider offers no `functions` capability. Default: none. */
  readonly functions?: GcpFunctionsSettings | undefined;
  /** Compute Engine settings; without them the provider offers no `compute` capability. Default: none. */
  readonly compute?: GcpComputeSettings | undefined;
  /** The OAuth2 token endpoint service-account assertions are exchanged at. Default: `https://oauth2.googleapis.com/token`. */
  readonly tokenURL?: string | undefined;
}
