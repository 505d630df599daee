import { IntegrationError, type SecretSet } from '@switchyard/core';
import { createJwt, type ProviderErrors } from '@switchyard/http';
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

function appJwt(app: GithubAppSettings, errors: ProviderErrors): string {
  if (String(app.appId) === '' || app.privateKey === '' || String(app.installationId) === '') {
    throw errors.create({ kind: 'auth', message: 'app needs appId, privateKey and installationId', isRetryable: false });
  }
  try {
    return createJwt({
      privateKey: app.privateKey,
      algorithm: 'RS256',
      claims: { iss: String(app.appId) },
      lifetimeSeconds: JWT_LIFETIME_SECONDS,
    });
  } catch (error) {
    throw errors.create({
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
 * refreshes it early and once across processes. The token in use is the
 * provider's secret `installation:<installationId>`: a new one (fetched here
 * or by another process into the vault) replaces the one before.
 */
export function createInstallationTokenSource(options: {
  readonly app: GithubAppSettings;
  readonly exchange: InstallationTokenExchange;
  /** The provider's secrets: the installation token in use joins them. */
  readonly secrets: SecretSet;
  /** The provider's error factory, redacting with `secrets`. */
  readonly errors: ProviderErrors;
  readonly vault?: GithubVaultSettings | undefined;
  readonly now?: () => number;
}): InstallationTokenSource {
  const now = options.now ?? Date.now;
  const slot = `installation:${options.app.installationId}`;
  const inUse = (token: string) => {
    options.secrets.set(slot, token);
    return token;
  };
  const fetchToken = async (): Promise<InstallationToken> => {
    const result = await options.exchange(appJwt(options.app, options.errors));
    inUse(result.token);
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
        const token = await vault.manager.getAccessToken(vault.integrationId, async () => {
          const fresh = await fetchToken();
          return {
            accessToken: fresh.token,
            refreshToken: VAULT_MARKER,
            expiresInSeconds: Math.max(0, Math.floor((fresh.expiresAt - now()) / 1000)),
          };
        });
        return inUse(token);
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
