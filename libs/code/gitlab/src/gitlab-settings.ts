import type { CredentialManager } from '@switchyard/core';
import type { HttpTransportSettings } from '@switchyard/http';

/**
 * OAuth2 refresh-token credentials of a GitLab OAuth application. Access
 * tokens are fetched from `tokenURL` with the refresh token and renewed
 * before they expire (GitLab access tokens last two hours).
 */
export interface GitlabOAuth2Settings {
  /** The application id. */
  readonly clientId: string;
  /** The application secret. Registered as a secret. */
  readonly clientSecret: string;
  /** The refresh token from the authorization-code flow. Registered as a secret. Ignored when `credentials` is given (the vault holds it). */
  readonly refreshToken?: string | undefined;
  /** The token endpoint. Default: `<baseURL>/oauth/token`. */
  readonly tokenURL?: string | undefined;
}

/** An integration whose OAuth2 tokens live in the credential vault. */
export interface GitlabCredentialSettings {
  /** The vault: `getAccessToken` refreshes through `oauth2`, and a 401 calls `invalidate`. */
  readonly manager: Pick<CredentialManager, 'getAccessToken' | 'invalidate'>;
  /** The integration whose `oauth2` record holds the tokens. */
  readonly integrationId: string;
}

/**
 * Settings for `createGitlab`. Authenticate with one of `token` (personal,
 * project or group access token), `accessToken` (an OAuth2 bearer token),
 * `oauth2` (refreshed here) or `credentials` with `oauth2` (refreshed by the
 * vault). `dispatcher` and `allowPrivateNetwork` are the shared transport
 * settings; they apply to the token endpoint too.
 */
export interface GitlabProviderSettings extends HttpTransportSettings {
  /**
   * The GitLab instance; the REST API is under `<baseURL>/api/v4`.
   * Default: the `GITLAB_URL` environment variable, else `https://gitlab.com`.
   */
  readonly baseURL?: string | undefined;
  /**
   * A personal, project or group access token, sent as `PRIVATE-TOKEN`.
   * Registered as a secret. Default: the `GITLAB_TOKEN` environment variable
   * (used only when no OAuth2 setting is given).
   */
  readonly token?: string | undefined;
  /** An OAuth2 access token, sent as `Authorization: Bearer`. Registered as a secret. Default: none. */
  readonly accessToken?: string | undefined;
  /** OAuth2 application credentials to refresh access tokens with. Default: none. */
  readonly oauth2?: GitlabOAuth2Settings | undefined;
  /** Take OAuth2 tokens from the credential vault (needs `oauth2` for the client id and secret). Default: none. */
  readonly credentials?: GitlabCredentialSettings | undefined;
  /**
   * The secret token GitLab sends in `X-Gitlab-Token` with each webhook; the
   * default for `createWebhook` and what a receiver compares against.
   * Registered as a secret. Default: the `GITLAB_WEBHOOK_TOKEN` environment variable.
   */
  readonly webhookToken?: string | undefined;
}
