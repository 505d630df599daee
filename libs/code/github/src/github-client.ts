import type { ProviderCallContext, SecretSet } from '@switchyard/core';
import {
  fetchThrough,
  normalizeHeaders,
  parseResponse,
  rateLimitStatusFromHeaders,
  type HttpResponseHeaders,
  type ResponseSchema,
} from '@switchyard/http';
import type { Octokit } from '@octokit/rest';
import { installationTokenSchema } from './github-api';
import { createInstallationTokenSource, type InstallationTokenSource } from './github-app-auth';
import { createGithubErrors, githubError } from './github-error';
import type { GithubProviderSettings } from './github-settings';
import { VERSION } from './version';

/** One REST call: Octokit's route, its parameters, and how to read the answer. */
export interface GithubRequest<T> {
  /** Octokit's `"METHOD /path/{param}"`. */
  readonly route: string;
  /** Fill the path and become the query (GET) or JSON body. Default: none. */
  readonly parameters?: Readonly<Record<string, unknown>> | undefined;
  /** `capability.operation` (or a provider operation) that errors record. */
  readonly operation: string;
  /** Parses the body (`parseResponse`); without it the body is not read. */
  readonly responseSchema?: ResponseSchema<T> | undefined;
}

/** A parsed answer and its headers (lower-case names). */
export interface GithubResponse<T> {
  readonly data: T;
  readonly headers: HttpResponseHeaders;
}

/** Sends REST calls through Octokit with the provider's auth, the hub's signal and rate-limit reporting. */
export interface GithubClient {
  /** Failures are classified by `githubError`; a body that does not match `responseSchema` fails with `provider`. */
  request<T = unknown>(
    request: GithubRequest<T>,
    context: Pick<ProviderCallContext, 'signal' | 'reportRateLimit'>,
  ): Promise<GithubResponse<T>>;
}

type RequestFunction = (route: string, parameters: Record<string, unknown>) => Promise<{ headers: unknown; data: unknown }>;

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/** What {@link createGithubClient} needs besides the settings, resolved by the provider. */
export interface GithubClientOptions {
  readonly baseURL: string;
  /** The token from settings or `GITHUB_TOKEN`; undefined for an app or no credentials. */
  readonly token: string | undefined;
  /** The provider's secrets: its errors are redacted with them, and installation tokens join them. */
  readonly secrets: SecretSet;
}

/**
 * Creates the client. `@octokit/rest` is imported on the first request, not
 * before, and sends through `fetchThrough(settings.dispatcher)`. No Octokit
 * retry or throttling plugin is loaded: the hub's router is the only place
 * that retries or waits (see docs/providers/github.md). Every error it
 * throws is redacted with `secrets`, since GitHub may echo a token.
 */
export function createGithubClient(settings: GithubProviderSettings, { baseURL, token, secrets }: GithubClientOptions): GithubClient {
  const errors = createGithubErrors(secrets);
  let octokit: Promise<RequestFunction> | undefined;
  const load = () =>
    (octokit ??= import('@octokit/rest').then(({ Octokit: OctokitClass }: { Octokit: typeof Octokit }) => {
      const instance = new OctokitClass({
        baseUrl: baseURL,
        userAgent: `switchyard-github/${VERSION}`,
        log: silentLog,
        request: { fetch: fetchThrough(settings.dispatcher) },
      });
      return instance.request;
    })).catch((error: unknown) => {
      octokit = undefined;
      throw error;
    });

  const send = async (
    route: string,
    parameters: Readonly<Record<string, unknown>>,
    signal: AbortSignal,
    authorization: string | undefined,
  ) => {
    const request = await load();
    const headers = { ...settings.headers, ...(authorization === undefined ? {} : { authorization }) };
    return request(route, { ...parameters, headers, request: { signal } });
  };

  let installation: InstallationTokenSource | undefined;
  const app = settings.app;
  if (app !== undefined) {
    installation = createInstallationTokenSource({
      app,
      secrets,
      errors,
      vault: settings.credentials,
      exchange: async (jwt) => {
        const operation = 'auth.installationToken';
        const route = 'POST /app/installations/{installation_id}/access_tokens';
        // A refused JWT (401), or a 404 for a wrong installation, means the app settings are wrong: not retryable.
        const response = await send(route, { installation_id: app.installationId }, AbortSignal.timeout(30_000), `Bearer ${jwt}`).catch(
          (error: unknown) => {
            throw githubError(errors, error, operation, { 404: { kind: 'auth' } });
          },
        );
        const installationToken = parseResponse(installationTokenSchema, response.data, { provider: errors.provider, operation });
        return { token: installationToken.token, expiresAt: Date.parse(installationToken.expires_at) };
      },
    });
  }

  const authorization = async (): Promise<string | undefined> => {
    if (installation !== undefined) return `token ${await installation.token()}`;
    return token === undefined ? undefined : `token ${token}`;
  };

  const report = (headers: HttpResponseHeaders, context: Pick<ProviderCallContext, 'reportRateLimit'>) => {
    // Search (30/min), code search and GraphQL have windows of their own; only the core window speaks for the
    // whole provider. A used-up search window still comes back as a classified rate_limit error.
    const resource = headers['x-ratelimit-resource'];
    if (context.reportRateLimit === undefined || (resource !== undefined && resource !== 'core')) return;
    const status = rateLimitStatusFromHeaders(headers);
    if (status !== undefined) context.reportRateLimit(status);
  };

  return {
    async request({ route, parameters = {}, operation, responseSchema }, context) {
      let response: Awaited<ReturnType<RequestFunction>>;
      try {
        response = await send(route, parameters, context.signal, await authorization());
      } catch (error) {
        report(normalizeHeaders((error as { response?: { headers?: unknown } } | undefined)?.response?.headers), context);
        const classified = githubError(errors, error, operation);
        if (classified.statusCode === 401) installation?.invalidate();
        throw classified;
      }
      const headers = normalizeHeaders(response.headers);
      report(headers, context);
      // Octokit answers JSON it cannot parse with the text: a truncated body, which another attempt may get whole.
      if (typeof response.data === 'string' && /json/i.test(String(headers['content-type']))) {
        throw errors.create({ kind: 'provider', message: `${operation} returned malformed JSON`, operation });
      }
      const data =
        responseSchema === undefined
          ? (undefined as never)
          : parseResponse(responseSchema, response.data, { provider: errors.provider, operation });
      return { data, headers };
    },
  };
}
