import type { CredentialVault } from '@switchyard/core';
import type { HttpTransportSettings } from '@switchyard/http';

/**
 * A GitHub App installation: the provider signs a JWT (RS256) with the app's
 * private key, exchanges it at `POST /app/installations/{installationId}/access_tokens`
 * and uses the installation token until about a minute before its `expires_at`.
 */
export interface GithubAppSettings {
  /** The app's id (or client id), the JWT's `iss`. Required. */
  readonly appId: string | number;
  /** The app's PEM private key. Kept in the provider's secrets (`provider.secrets`), so it is redacted. Required. */
  readonly privateKey: string;
  /** The installation to act as. Required. */
  readonly installationId: string | number;
}

/**
 * Keeps GitHub App installation tokens in the credential vault, so one
 * refresh serves every process and the vault's `credential.refresh` events
 * report it. The provider seeds the vault's OAuth2 record for the integration
 * on first use (an installation token needs no refresh token: the app's JWT
 * gets a new one).
 */
export interface GithubVaultSettings {
  /** The vault, usually `createCredentialManager({ store })` from `@switchyard/platform`. */
  readonly manager: Pick<CredentialVault, 'get' | 'getAccessToken' | 'setOAuth2Tokens' | 'invalidate'>;
  /** The integration whose `oauth2` record holds the installation token. */
  readonly integrationId: string;
}

/**
 * Settings for `createGithub`. The transport settings are the shared ones
 * (`baseURL`, `dispatcher`) without `allowPrivateNetwork`: GitHub Enterprise
 * Server usually lives on a private network, so no address is refused.
 */
export interface GithubProviderSettings extends Omit<HttpTransportSettings, 'allowPrivateNetwork'> {
  /**
   * Base URL of the GitHub REST API; point it at GitHub Enterprise Server
   * (`https://HOST/api/v3`) or a local server in tests.
   * Default: the `GITHUB_API_URL` environment variable, else `https://api.github.com`.
   */
  readonly baseURL?: string | undefined;
  /**
   * The undici dispatcher Octokit's requests go through (a `ProxyAgent`, a
   * `MockAgent`, a recording one in tests): Octokit's `request.fetch` is
   * `fetchThrough(dispatcher)` from `@switchyard/http`. Default: the global `fetch`.
   */
  readonly dispatcher?: HttpTransportSettings['dispatcher'];
  /** Extra headers on every request, e.g. `{ accept: 'application/json' }` for a Prism mock. Default: none. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * A personal access token (classic or fine-grained), sent as
   * `Authorization: token …`. Kept in the provider's secrets, so it is redacted.
   * Default: the `GITHUB_TOKEN` environment variable. Ignored when `app` is set.
   */
  readonly token?: string | undefined;
  /** Authenticate as a GitHub App installation instead of with a token. Default: none. */
  readonly app?: GithubAppSettings | undefined;
  /** Cache and refresh the app's installation tokens through the credential vault. Default: in this provider object's memory. */
  readonly credentials?: GithubVaultSettings | undefined;
  /**
   * The secret webhooks are signed with (`X-Hub-Signature-256`); used by
   * `createWebhook` when the call gives none. Kept in the provider's
   * secrets, never exposed as a property: give the webhook receiver the same
   * value through its `secret` lookup.
   * Default: the `GITHUB_WEBHOOK_SECRET` environment variable.
   */
  readonly webhookSecret?: string | undefined;
}
