import { IntegrationError, registerSecret } from '@switchyard/core';
import { createJwt } from '@switchyard/http';
import { githubErrors } from './github-error';
import type { GithubAppSettings, GithubVaultSettings } from './github-settings';

/** An installation token and when GitHub says it expires (epoch ms). */
export interface InstallationToken {
  readonly token: string;
  readonly expiresAt: number;
}

/** Exchanges the app's JWT (`Authorization: Bearer …`) for an installation token. */
export type InstallationTokenExchange = (jwt: string) => Promise<InstallationToken>;

/** Where installation tokens come from and how a rejected one is dropped. */
export interface InstallationTokenSource {
  /** A usable installation token: cached until a minute before `expires_at`, else a new one. */
  token(): Promise<string>;
  /** Drops the current token (GitHub answered 401): the next call gets a new one. */
  invalidate(): void;
}

/** Installation tokens are renewed this long before GitHub's `expires_at`. */
export const INSTALLATION_TOKEN_SKEW_MS = 60_000;
/** GitHub accepts app JWTs that expire at most 10 minutes ahead; 9 leaves room for clock skew. */
const JWT_LIFETIME_SECONDS = 540;
/**
 * The "refresh token" the vault keeps for an app installation. It is not a
 * secret: the app's private key, held in settings, is what gets a new token.
 */
const VAULT_MARKER = 'switchyard:github-app-jwt';

function appJwt(app: GithubAppSettings): string {
  if (String(app.appId) === '' || app.privateKey === '' || String(app.installationId) === '') {
    throw githubErrors.create({ kind: 'auth', message: 'app needs appId, privateKey and installationId', isRetryable: false });
  }
  registerSecret(app.privateKey);
  try {
    return createJwt({
      privateKey: app.privateKey,
      algorithm: 'RS256',
      claims: { iss: String(app.appId) },
      lifetimeSeconds: JWT_LIFETIME_SECONDS,
    });
  } catch (error) {
    throw githubErrors.create({
      kind: 'auth',
      message: 'the app private key is not a usable PEM RSA key',
      isRetryable: false,
      cause: error,
    });
  }
}

function isNotFound(error: unknown): boolean {
  return IntegrationError.isInstance(error) && error.kind === 'not_found';
}

/**
 * Installation tokens for a GitHub App: signed JWT → exchange → token, kept
 * in memory (single-flight) or, with `vault`, in the credential vault, which
 * refreshes it early and once across processes.
 */
export function createInstallationTokenSource(options: {
  readonly app: GithubAppSettings;
  readonly exchange: InstallationTokenExchange;
  readonly vault?: GithubVaultSettings | undefined;
  readonly now?: () => number;
}): InstallationTokenSource {
  const now = options.now ?? Date.now;
  const fetchToken = async (): Promise<InstallationToken> => {
    const result = await options.exchange(appJwt(options.app));
    registerSecret(result.token);
    return result;
  };

  const vault = options.vault;
  if (vault !== undefined) {
    let seeded: Promise<void> | undefined;
    const seed = () =>
      (seeded ??= vault.manager.get(vault.integrationId, 'oauth2').then(
        () => undefined,
        async (error: unknown) => {
          if (!isNotFound(error)) throw error;
          await vault.manager.setOAuth2Tokens(vault.integrationId, { refreshToken: VAULT_MARKER });
        },
      )).catch((error: unknown) => {
        seeded = undefined;
        throw error;
      });
    return {
      async token() {
        await seed();
        return vault.manager.getAccessToken(vault.integrationId, async () => {
          const fresh = await fetchToken();
          return {
            accessToken: fresh.token,
            refreshToken: VAULT_MARKER,
            expiresInSeconds: Math.max(0, Math.floor((fresh.expiresAt - now()) / 1000)),
          };
        });
      },
      invalidate: () => vault.manager.invalidate(vault.integrationId),
    };
  }

  let current: InstallationToken | undefined;
  let flight: Promise<InstallationToken> | undefined;
  return {
    async token() {
      if (current !== undefined && now() < current.expiresAt - INSTALLATION_TOKEN_SKEW_MS) return current.token;
      flight ??= fetchToken().finally(() => {
        flight = undefined;
      });
      current = await flight;
      return current.token;
    },
    invalidate() {
      current = undefined;
    },
  };
}
