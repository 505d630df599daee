import { readFileSync } from 'node:fs';
import { loadOptionalSetting, type IntegrationError, type SecretSet } from '@switchyard/core';
import { createHttpClient, createJwt, oauth2Auth, type AuthStrategy, type HttpTransportSettings } from '@switchyard/http';
import { z } from 'zod';
import type { GcpErrors } from './gcp-error';

/** A service account's key, as `credentials` takes it (the `client_email` and `private_key` of its JSON key file). */
export interface GcpServiceAccountCredentials {
  /** The service account's email, e.g. `deployer@my-project.iam.gserviceaccount.com`. */
  readonly clientEmail: string;
  /** Its PEM private key (`-----BEGIN PRIVATE KEY-----...`). Kept in the provider's secret set, for redaction. */
  readonly privateKey: string;
}

/** Where credentials come from, as the provider settings give them. */
export interface GcpCredentialSources {
  readonly credentials?: GcpServiceAccountCredentials | undefined;
  readonly keyFilename?: string | undefined;
}

/** What a key file or the settings resolved to. */
export interface ResolvedCredentials {
  /** The service account, when a key was given; `undefined` means Application Default Credentials. */
  readonly serviceAccount: GcpServiceAccountCredentials | undefined;
  /** The key file's `project_id`, when it has one. */
  readonly projectId: string | undefined;
  /** The key file path, for the Storage SDK (which also reads user credentials from it). */
  readonly keyFilename: string | undefined;
}

/** The provider's secrets and the error factory redacting with them. */
export interface GcpSecrets {
  readonly secrets: SecretSet;
  readonly errors: GcpErrors;
}

/** The default OAuth2 token endpoint service-account assertions are exchanged at. */
export const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

function authError(errors: GcpErrors, message: string, cause?: unknown): IntegrationError {
  return errors.create({ kind: 'auth', message, isRetryable: false, cause });
}

/**
 * Resolves credentials: `credentials` from settings, else the JSON key file
 * at `keyFilename` or `GOOGLE_APPLICATION_CREDENTIALS`, else none
 * (Application Default Credentials, which only the Storage SDK can use).
 * Private keys are added to the provider's secrets. Throws an `auth` error
 * naming the file when it cannot be read.
 */
export function resolveCredentials(sources: GcpCredentialSources, { secrets, errors }: GcpSecrets): ResolvedCredentials {
  if (sources.credentials !== undefined) {
    const { clientEmail, privateKey } = sources.credentials;
    secrets.add(privateKey);
    if (clientEmail === '' || privateKey === '') throw authError(errors, 'credentials need both clientEmail and privateKey');
    return { serviceAccount: { clientEmail, privateKey }, projectId: undefined, keyFilename: undefined };
  }
  const keyFilename = loadOptionalSetting({ settingValue: sources.keyFilename, environmentVariableName: 'GOOGLE_APPLICATION_CREDENTIALS' });
  if (keyFilename === undefined) return { serviceAccount: undefined, projectId: undefined, keyFilename: undefined };
  let key: { type?: unknown; client_email?: unknown; private_key?: unknown; project_id?: unknown };
  try {
    key = JSON.parse(readFileSync(keyFilename, 'utf8')) as typeof key;
  } catch (error) {
    throw authError(errors, `cannot read the key file named by keyFilename or GOOGLE_APPLICATION_CREDENTIALS (${keyFilename})`, error);
  }
  const projectId = typeof key.project_id === 'string' ? key.project_id : undefined;
  if (key.type !== 'service_account' || typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    // User credentials (gcloud auth application-default login) and other kinds are left to the Storage SDK.
    return { serviceAccount: undefined, projectId, keyFilename };
  }
  secrets.add(key.private_key);
  return { serviceAccount: { clientEmail: key.client_email, privateKey: key.private_key }, projectId, keyFilename };
}

/** Settings of {@link serviceAccountAuth}: the token endpoint's transport is the REST APIs'. */
export interface ServiceAccountAuthOptions extends Omit<HttpTransportSettings, 'baseURL'>, GcpSecrets {
  /** Resolves the service account on first use (settings are read lazily). */
  readonly serviceAccount: () => GcpServiceAccountCredentials | undefined;
  /** The token endpoint. Default {@link DEFAULT_TOKEN_URL}. */
  readonly tokenURL?: string | undefined;
}

/**
 * Bearer access tokens for Google's REST APIs from a service account: an
 * RS256 JWT assertion (scope `cloud-platform`) exchanged at the token
 * endpoint with the OAuth2 JWT-bearer grant (RFC 7523), cached until shortly
 * before it expires, refreshed single-flight by `@switchyard/http`'s
 * `oauth2Auth`, which keeps the current access token in a slot of the REST
 * clients' secrets (the provider's): a refreshed token replaces the last.
 * Without a service account every request fails with `auth`.
 */
export function serviceAccountAuth(options: ServiceAccountAuthOptions): AuthStrategy {
  const tokenURL = options.tokenURL ?? DEFAULT_TOKEN_URL;
  const { errors } = options;
  let strategy: AuthStrategy | undefined;
  return {
    kind: 'oauth2',
    apply(request) {
      if (strategy === undefined) {
        const account = options.serviceAccount();
        if (account === undefined) {
          throw authError(
            errors,
            'Cloud Functions and Compute Engine need a service account key: set credentials, keyFilename or GOOGLE_APPLICATION_CREDENTIALS (or accessToken)',
          );
        }
        strategy = oauth2Auth({
          tokenURL,
          clientId: account.clientEmail,
          clientAuthentication: 'body',
          provider: errors.provider,
          dispatcher: options.dispatcher,
          allowPrivateNetwork: options.allowPrivateNetwork,
          grant: {
            type: 'jwt_bearer',
            assertion: () =>
              createJwt({
                privateKey: account.privateKey,
                claims: { iss: account.clientEmail, scope: CLOUD_PLATFORM_SCOPE, aud: tokenURL },
                lifetimeSeconds: 3600,
              }),
          },
        });
      }
      return strategy.apply(request);
    },
  };
}

/** Google ID tokens live an hour; a cached one is replaced after this long. */
const ID_TOKEN_REUSE_MS = 50 * 60_000;

const idTokenSchema = z.object({ id_token: z.string().min(1) });

/**
 * The token endpoint refuses a JWT-bearer assertion it cannot accept (bad
 * signature, unknown or disabled account) with 400 `invalid_grant`: that is
 * a credentials problem, so `auth`, not `validation`.
 */
const tokenEndpointErrorDetails = ({ status }: { readonly status: number }) => (status === 400 ? { kind: 'auth' as const } : undefined);

/**
 * ID tokens for calling a private function or Cloud Run URL as the service
 * account (https://cloud.google.com/functions/docs/securing/authenticating):
 * a JWT assertion with `target_audience` set to the URL, exchanged at the
 * token endpoint for an `id_token`, cached per audience for 50 minutes and
 * kept in the provider's secrets (one slot per audience, so a new token
 * replaces the last). Resolves `undefined` without a service account (the
 * call then goes out without credentials).
 */
export function serviceAccountIdTokens(
  options: ServiceAccountAuthOptions,
): (audience: string, signal: AbortSignal) => Promise<string | undefined> {
  const tokenURL = new URL(options.tokenURL ?? DEFAULT_TOKEN_URL);
  const { secrets, errors } = options;
  const cache = new Map<string, { readonly token: string; readonly until: number }>();
  let client: ReturnType<typeof createHttpClient> | undefined;
  return async (audience, signal) => {
    const cached = cache.get(audience);
    if (cached !== undefined && Date.now() < cached.until) return cached.token;
    const account = options.serviceAccount();
    if (account === undefined) return undefined;
    client ??= createHttpClient({
      baseURL: tokenURL.origin,
      provider: errors.provider,
      secrets,
      dispatcher: options.dispatcher,
      allowPrivateNetwork: options.allowPrivateNetwork,
      errorDetails: tokenEndpointErrorDetails,
    });
    const assertion = createJwt({
      privateKey: account.privateKey,
      claims: { iss: account.clientEmail, sub: account.clientEmail, aud: tokenURL.href, target_audience: audience },
      lifetimeSeconds: 3600,
    });
    secrets.set(`id-token:assertion:${audience}`, assertion);
    const { data } = await client.request({
      method: 'POST',
      path: `${tokenURL.pathname}${tokenURL.search}`,
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
      responseSchema: idTokenSchema,
      signal,
    });
    const token = data.id_token;
    secrets.set(`id-token:${audience}`, token);
    cache.set(audience, { token, until: Date.now() + ID_TOKEN_REUSE_MS });
    return token;
  };
}
