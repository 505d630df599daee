import { IntegrationError, registerSecret, type ProviderCallContext } from '@switchyard/core';
import { rateLimitStatusFromHeaders } from '@switchyard/http';
import type { Octokit } from '@octokit/rest';
import { createInstallationTokenSource, type InstallationTokenSource } from './github-app-auth';
import { githubError } from './github-error';
import type { GithubProviderSettings } from './github-settings';
import { VERSION } from './version';

/** Response headers as Octokit returns them (lower-case names). */
export type GithubHeaders = Readonly<Record<string, string | number | undefined>>;

/** One GitHub response: status, headers and parsed body. */
export interface GithubResponse {
  readonly status: number;
  readonly headers: GithubHeaders;
  readonly data: unknown;
}

/** Sends one REST call through Octokit with the provider's auth, the hub's signal and rate-limit reporting. */
export interface GithubClient {
  /**
   * `route` is Octokit's `"METHOD /path/{param}"`; `parameters` fill the path
   * and become the query (GET) or JSON body. Failures are classified by
   * `githubError` for `operation`.
   */
  request(route: string, parameters: Readonly<Record<string, unknown>>, context: ProviderCallContext, operation: string): Promise<GithubResponse>;
}

type RequestFunction = (route: string, parameters: Record<string, unknown>) => Promise<GithubResponse>;

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Creates the client. `@octokit/rest` is imported on the first request, not
 * before. No Octokit retry or throttling plugin is loaded: the hub's router
 * is the only place that retries or waits (see docs/providers/github.md).
 */
export function createGithubClient(settings: GithubProviderSettings, baseURL: string, token: string | undefined): GithubClient {
  let octokit: Promise<RequestFunction> | undefined;
  const load = () =>
    (octokit ??= import('@octokit/rest').then(({ Octokit: OctokitClass }: { Octokit: typeof Octokit }) => {
      const instance = new OctokitClass({
        baseUrl: baseURL,
        userAgent: `switchyard-github/${VERSION}`,
        log: silentLog,
        request: settings.request?.fetch === undefined ? {} : { fetch: settings.request.fetch },
      });
      return instance.request;
    })).catch((error: unknown) => {
      octokit = undefined;
      throw error;
    });
  const extraHeaders = settings.request?.headers ?? {};

  const send = async (route: string, parameters: Record<string, unknown>, signal: AbortSignal, authorization: string | undefined) => {
    const request = await load();
    const headers = { ...extraHeaders, ...(authorization === undefined ? {} : { authorization }), ...(parameters.headers as Record<string, string> | undefined) };
    return request(route, { ...parameters, headers, request: { signal } });
  };

  let installation: InstallationTokenSource | undefined;
  const app = settings.app;
  if (app !== undefined) {
    installation = createInstallationTokenSource({
      app,
      vault: settings.credentials,
      exchange: async (jwt) => {
        const operation = 'auth.installationToken';
        try {
          const response = await send('POST /app/installations/{installation_id}/access_tokens', { installation_id: app.installationId }, AbortSignal.timeout(30_000), `Bearer ${jwt}`);
          const data = response.data as { token?: unknown; expires_at?: unknown };
          if (typeof data.token !== 'string' || typeof data.expires_at !== 'string') {
            throw new IntegrationError({ kind: 'provider', message: 'github: the installation token response has no token or expires_at', provider: 'github', operation });
          }
          registerSecret(data.token);
          return { token: data.token, expiresAt: Date.parse(data.expires_at) };
        } catch (error) {
          const classified = githubError(error, operation);
          // A refused JWT means the app id or key is wrong: not something a retry fixes.
          throw classified.statusCode === 401 || classified.statusCode === 404
            ? new IntegrationError({ kind: 'auth', message: classified.message, provider: 'github', operation, statusCode: classified.statusCode, isRetryable: false, cause: classified })
            : classified;
        }
      },
    });
  }

  const authorization = async (): Promise<string | undefined> => {
    if (installation !== undefined) return `token ${await installation.token()}`;
    return token === undefined ? undefined : `token ${token}`;
  };

  const report = (headers: GithubHeaders | undefined, context: ProviderCallContext) => {
    if (headers === undefined || context.reportRateLimit === undefined) return;
    // Search (30/min), code search and GraphQL have windows of their own; only the core window speaks for the
    // whole provider. A used-up search window still comes back as a classified rate_limit error.
    const resource = headers['x-ratelimit-resource'];
    if (resource !== undefined && resource !== 'core') return;
    const status = rateLimitStatusFromHeaders(headers as Record<string, string>);
    if (status !== undefined) context.reportRateLimit(status);
  };

  return {
    async request(route, parameters, context, operation) {
      try {
        const response = await send(route, { ...parameters }, context.signal, await authorization());
        report(response.headers, context);
        return response;
      } catch (error) {
        const headers = (error as { response?: { headers?: GithubHeaders } } | undefined)?.response?.headers;
        report(headers, context);
        const classified = githubError(error, operation);
        if (classified.statusCode === 401) installation?.invalidate();
        throw classified;
      }
    },
  };
}
