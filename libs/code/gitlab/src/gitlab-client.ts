import { IntegrationError, loadOptionalSetting, type ProviderCallContext, type SecretSet } from '@switchyard/core';
import {
  apiKeyAuth,
  bearerAuth,
  createHttpClient,
  oauth2Auth,
  rateLimitStatusFromHeaders,
  type AuthStrategy,
  type HttpRequestOptions,
  type HttpResponse,
} from '@switchyard/http';
import { tokenSchema } from './gitlab-api';
import { errors } from './gitlab-errors';
import type { GitlabCredentialSettings, GitlabOAuth2Settings, GitlabProviderSettings } from './gitlab-settings';

/** What an operation hands the client: the call context's signal and rate-limit report. */
export type GitlabCallContext = Pick<ProviderCallContext, 'signal'> & Partial<Pick<ProviderCallContext, 'reportRateLimit'>>;

/** Sends REST v4 requests (paths below `/api/v4`) with auth, the call's signal and rate-limit reports. */
export interface GitlabClient {
  request<T>(options: HttpRequestOptions<T>, context: GitlabCallContext): Promise<HttpResponse<T>>;
}

interface ResolvedAuth {
  readonly strategy: AuthStrategy;
  /** Forgets a rejected token so the next request gets a new one. */
  readonly invalidate?: () => void;
}

function missingCredentials(): IntegrationError {
  return errors.create({
    kind: 'auth',
    message: 'no credentials: set token (GITLAB_TOKEN), accessToken, oauth2 or credentials',
    isRetryable: false,
  });
}

/** What the client needs besides the settings, resolved by the provider. */
interface GitlabConnection {
  readonly settings: GitlabProviderSettings;
  readonly baseURL: string;
  /** The provider's secrets: errors are redacted with them, and OAuth2 tokens join them as they are fetched. */
  readonly secrets: SecretSet;
}

/**
 * A refresh function for the vault: POST `grant_type=refresh_token` to
 * GitLab's token endpoint. The refresh token sent and the tokens received
 * replace the previous ones in `secrets`.
 */
function vaultRefresh(oauth2: GitlabOAuth2Settings, tokenURL: string, { settings, secrets }: GitlabConnection) {
  const url = new URL(tokenURL);
  const client = createHttpClient({
    baseURL: url.origin,
    provider: errors.provider,
    allowPrivateNetwork: settings.allowPrivateNetwork,
    dispatcher: settings.dispatcher,
    secrets,
  });
  return async (refreshToken: string) => {
    secrets.set('oauth2:refresh', refreshToken);
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: oauth2.clientId,
      client_secret: oauth2.clientSecret,
    });
    const { data } = await client.request({ method: 'POST', path: `${url.pathname}${url.search}`, body, responseSchema: tokenSchema });
    secrets.set('oauth2:access', data.access_token);
    // GitLab rotates refresh tokens; one that is not replaced stays the one in use.
    if (data.refresh_token !== undefined) secrets.set('oauth2:refresh', data.refresh_token);
    return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresInSeconds: data.expires_in ?? 7200 };
  };
}

function vaultAuth(
  credentials: GitlabCredentialSettings,
  oauth2: GitlabOAuth2Settings | undefined,
  tokenURL: string,
  connection: GitlabConnection,
): ResolvedAuth {
  if (oauth2 === undefined) {
    throw errors.create({
      kind: 'auth',
      message: 'credentials need oauth2 (clientId, clientSecret) to refresh tokens',
      isRetryable: false,
    });
  }
  const refresh = vaultRefresh(oauth2, tokenURL, connection);
  const { manager, integrationId } = credentials;
  // The vault may hand out a token another process refreshed: it replaces the previous one here too.
  const getToken = async () => {
    const token = await manager.getAccessToken(integrationId, refresh);
    connection.secrets.set('oauth2:access', token);
    return token;
  };
  return {
    strategy: bearerAuth({ getToken }),
    invalidate: () => manager.invalidate(integrationId),
  };
}

/** Whether any credential is configured (settings or `GITLAB_TOKEN`), without creating a strategy. */
export function hasCredentials(settings: GitlabProviderSettings): boolean {
  return (
    settings.credentials !== undefined ||
    settings.oauth2?.refreshToken !== undefined ||
    (settings.accessToken !== undefined && settings.accessToken !== '') ||
    loadOptionalSetting({ settingValue: settings.token, environmentVariableName: 'GITLAB_TOKEN' }) !== undefined
  );
}

/** Picks the auth strategy: vault OAuth2, then OAuth2 refresh, then an OAuth2 access token, then a PAT (`GITLAB_TOKEN`). */
function resolveAuth(connection: GitlabConnection): ResolvedAuth | undefined {
  const { settings, baseURL, secrets } = connection;
  const oauth2 = settings.oauth2;
  const tokenURL = oauth2?.tokenURL ?? `${baseURL}/oauth/token`;
  if (settings.credentials !== undefined) return vaultAuth(settings.credentials, oauth2, tokenURL, connection);
  if (oauth2?.refreshToken !== undefined) {
    const strategy = oauth2Auth({
      tokenURL,
      clientId: oauth2.clientId,
      clientSecret: oauth2.clientSecret,
      clientAuthentication: 'body',
      grant: { type: 'refresh_token', refreshToken: oauth2.refreshToken },
      allowPrivateNetwork: settings.allowPrivateNetwork,
      dispatcher: settings.dispatcher,
      provider: errors.provider,
    });
    return { strategy, invalidate: () => strategy.invalidate() };
  }
  if (settings.accessToken !== undefined && settings.accessToken !== '') return { strategy: bearerAuth({ token: settings.accessToken }) };
  const token = loadOptionalSetting({ settingValue: settings.token, environmentVariableName: 'GITLAB_TOKEN' });
  if (token === undefined) return undefined;
  secrets.add(token);
  return { strategy: apiKeyAuth({ in: 'header', name: 'PRIVATE-TOKEN', value: token }) };
}

/**
 * The REST v4 client on `@switchyard/http`, created on first use: errors
 * classified by the shared status table (no GitLab hints), every response's
 * `RateLimit-*` headers reported to the router, and a rejected OAuth2 token
 * (401) forgotten so the next call refreshes. Its errors are redacted with
 * `secrets`, which the tokens it resolves or fetches join.
 */
export function createGitlabClient(settings: GitlabProviderSettings, baseURL: string, secrets: SecretSet): GitlabClient {
  let connection: { client: ReturnType<typeof createHttpClient>; auth: ResolvedAuth } | undefined;
  const connect = () => {
    if (connection !== undefined) return connection;
    const auth = resolveAuth({ settings, baseURL, secrets });
    if (auth === undefined) throw missingCredentials();
    const client = createHttpClient({
      baseURL: `${baseURL}/api/v4`,
      provider: errors.provider,
      auth: auth.strategy,
      allowPrivateNetwork: settings.allowPrivateNetwork,
      dispatcher: settings.dispatcher,
      secrets,
    });
    connection = { client, auth };
    return connection;
  };
  return {
    async request<T>(options: HttpRequestOptions<T>, context: GitlabCallContext) {
      const { client, auth } = connect();
      try {
        const response = await client.request({ ...options, signal: context.signal });
        const status = rateLimitStatusFromHeaders(response.headers);
        if (status !== undefined) context.reportRateLimit?.(status);
        return response;
      } catch (error) {
        if (IntegrationError.isInstance(error) && error.statusCode === 401) auth.invalidate?.();
        throw error;
      }
    },
  };
}

/** A project id for a path segment: a numeric id as is, a path ("group/sub/project") URL-encoded. */
export function projectPath(project: string): string {
  return `/projects/${encodeURIComponent(project)}`;
}
