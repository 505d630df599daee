import type { CredentialVault } from '@switchyard/core';
import type { HttpTransportSettings } from '@switchyard/http';

/**
 * OAuth2 refresh-token credentials of a GitLab OAuth application. Access
 * tokens are fetched from `tokenURL` with the refresh token and renewed
 * before they expire (GitLab access tokens last two hours).
 */
export interface GitlabOAuth2Settings {
  /** The application id. */
  readonly clientId: string;
  /** The application secret. Kept in the provider's secrets (`provider.secrets`), so it is redacted. */
  readonly clientSecret: string;
  /** The refresh token from the authorization-code flow; kept in the provider's secrets. Ignored when `credentials` is given (the vault holds it). */
  readonly refreshToken?: string | undefined;
  /** The token endpoint. Default: `<baseURL>/oauth/token`. */
  readonly tokenURL?: string | undefined;
}

/** An integration whose OAuth2 tokens live in the credential vault. */
export interface GitlabCredentialSettings {
  /** The vault: `getAccessToken` refreshes through `oauth2`, and a 401 calls `invalidate`. */
  readonly manager: Pick<CredentialVault, 'getAccessToken' | 'invalidate'>;
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
   * Kept in the provider's secrets. Default: the `GITLAB_TOKEN` environment variable
   * (used only when no OAuth2 setting is given).
   */
  readonly token?: string | undefined;
  /** An OAuth2 access token, sent as `Authorization: Bearer`. Kept in the provider's secrets. Default: none. */
  readonly accessToken?: string | undefined;
  /** OAuth2 application credentials to refresh access tokens with. Default: none. */
  readonly oauth2?: GitlabOAuth2Settings | undefined;
  /** Take OAuth2 tokens from the credential vault (needs `oauth2` for the client id and secret). Default: none. */
  readonly credentials?: GitlabCredentialSettings | undefined;
  /**
   * The secret token GitLab sends in `X-Gitlab-Token` with each webhook; the
   * default for `createWebhook`. Kept in the provider's secrets, never
   * exposed as a property: give the webhook receiver the same value through
   * its `secret` lookup. Default: the `GITLAB_WEBHOOK_TOKEN` environment variable.
   */
  readonly webhookToken?: string | undefined;
}
