import { IntegrationError, SecretSet } from '@switchyard/core';
import type { Dispatcher } from 'undici';
import { createHttpClient } from '../http-client';
import type { ResponseSchema } from '../response-schema';
import type { AuthResult, AuthStrategy } from './auth-strategy';
import { strategySlot } from './auth-strategy';

/** The grant {@link oauth2Auth} obtains its first token with. */
export type OAuth2Grant =
  | { readonly type: 'client_credentials'; readonly scope?: string | undefined }
  | { readonly type: 'refresh_token'; readonly refreshToken: string }
  | { readonly type: 'authorization_code'; readonly code: string; readonly redirectURI: string; readonly codeVerifier?: string | undefined }
  /** RFC 7523: a signed assertion (see `createJwt`) made fresh for each token request. */
  | { readonly type: 'jwt_bearer'; readonly assertion: () => string | Promise<string>; readonly scope?: string | undefined };

const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Tokens from a token endpoint, as {@link OAuth2AuthOptions.onTokens} receives them. */
export interface OAuth2Tokens {
  readonly accessToken: string;
  /** The refresh token to use next; providers that rotate them send a new one each time. */
  readonly refreshToken: string | undefined;
  /** When the access token expires, epoch ms; undefined when the endpoint did not say. */
  readonly expiresAt: number | undefined;
  readonly scope: string | undefined;
}

/** Settings of {@link oauth2Auth}. */
export interface OAuth2AuthOptions {
  /** The token endpoint, e.g. `https://oauth2.googleapis.com/token`. */
  readonly tokenURL: string;
  readonly clientId: string;
  /** Omit for public clients (PKCE). Kept in the strategy's and the client's `secrets`. */
  readonly clientSecret?: string | undefined;
  /** How the first token is obtained; later tokens use the refresh token when there is one. */
  readonly grant: OAuth2Grant;
  /** Client credentials in an HTTP Basic header (`basic`) or the form body (`body`). Default `basic`. */
  readonly clientAuthentication?: 'basic' | 'body' | undefined;
  /** Refresh this long before expiry (at most half the token's lifetime). Default 60 000 ms. */
  readonly refreshSkewMs?: number | undefined;
  /** Called with every new set of tokens, e.g. to persist a rotated refresh token. Default: none. */
  readonly onTokens?: ((tokens: OAuth2Tokens) => void) | undefined;
  /** Dispatcher for the token endpoint. Default: the shared pool of its origin. */
  readonly dispatcher?: Dispatcher | undefined;
  /** Allow a token endpoint on a private address (tests). Default `false`. */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Provider id recorded on errors. Default: none. */
  readonly provider?: string | undefined;
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** An {@link AuthStrategy} that manages OAuth2 access tokens. */
export interface OAuth2AuthStrategy extends AuthStrategy {
  /** Forgets the access token (e.g. after a 401), so the next request refreshes it. */
  invalidate(): void;
}

interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token?: string | undefined;
  readonly expires_in?: number | undefined;
  readonly scope?: string | undefined;
}

const tokenResponseSchema: ResponseSchema<TokenResponse> = {
  safeParse(value) {
    const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    if (typeof record.access_token !== 'string' || record.access_token === '') {
      return { success: false, error: { issues: [{ path: ['access_token'], message: 'expected a non-empty string' }] } };
    }
    const expiresIn = typeof record.expires_in === 'string' ? Number(record.expires_in) : record.expires_in;
    return {
      success: true,
      data: {
        access_token: record.access_token,
        refresh_token: typeof record.refresh_token === 'string' ? record.refresh_token : undefined,
        expires_in: typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? expiresIn : undefined,
        scope: typeof record.scope === 'string' ? record.scope : undefined,
      },
    };
  },
};

/** The tokens in use and the header they make. */
interface CurrentTokens {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly result: AuthResult;
  readonly refreshAt: number;
}

/**
 * OAuth2 bearer tokens from a token endpoint: client credentials, a refresh
 * token, an authorization code (with a PKCE verifier) or a JWT assertion. Tokens are fetched
 * on first use and refreshed `refreshSkewMs` before they expire; concurrent
 * requests share one refresh (single flight). A rotated refresh token
 * replaces the old one and is handed to `onTokens`. A rejected grant is an
 * `auth` error. Secrets: the token endpoint's client redacts with a set of
 * the strategy's own (client secret, grant, assertions, tokens); each
 * request it authenticates gets the client secret, and the current access
 * and refresh tokens in slots of this strategy's own (`oauth2#<n>:access`,
 * `oauth2#<n>:refresh`), in its client's `secrets`: a refreshed token
 * replaces the one before it.
 *
 * @example
 * ```ts
 * const auth = oauth2Auth({ tokenURL: 'https://api.example/oauth/token', clientId, clientSecret, grant: { type: 'client_credentials', scope: 'read' } });
 * ```
 */
export function oauth2Auth(options: OAuth2AuthOptions): OAuth2AuthStrategy {
  const tokenURL = new URL(options.tokenURL);
  const slot = strategySlot('oauth2');
  const accessSlot = `${slot}:access`;
  const refreshSlot = `${slot}:refresh`;
  const assertionSlot = `${slot}:assertion`;
  /** What the token endpoint is sent and answers: its client redacts with these. */
  const tokenSecrets = new SecretSet();
  const client = createHttpClient({
    baseURL: tokenURL.origin,
    dispatcher: options.dispatcher,
    allowPrivateNetwork: options.allowPrivateNetwork,
    provider: options.provider,
    secrets: tokenSecrets,
  });
  const now = options.now ?? Date.now;
  const skewMs = options.refreshSkewMs ?? 60_000;
  const useBasic = (options.clientAuthentication ?? 'basic') === 'basic';
  const basicCredentials =
    useBasic && options.clientSecret !== undefined
      ? Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')
      : undefined;
  tokenSecrets.add(options.clientSecret);
  tokenSecrets.add(basicCredentials);
  let grant: OAuth2Grant | undefined = options.grant;
  if (grant.type === 'refresh_token') tokenSecrets.set(refreshSlot, grant.refreshToken);
  if (grant.type === 'authorization_code') {
    tokenSecrets.add(grant.code);
    tokenSecrets.add(grant.codeVerifier);
  }
  let current: CurrentTokens | undefined;
  let pending: Promise<CurrentTokens> | undefined;

  /** Keeps what this strategy holds in the set of the client whose request it authenticates. */
  function authenticate(secrets: SecretSet, tokens: CurrentTokens): AuthResult {
    secrets.add(options.clientSecret);
    secrets.set(accessSlot, tokens.accessToken);
    secrets.set(refreshSlot, tokens.refreshToken);
    return tokens.result;
  }

  async function form(from: OAuth2Grant): Promise<URLSearchParams> {
    const body = new URLSearchParams({ grant_type: from.type === 'jwt_bearer' ? JWT_BEARER_GRANT_TYPE : from.type });
    if ((from.type === 'client_credentials' || from.type === 'jwt_bearer') && from.scope !== undefined) body.set('scope', from.scope);
    if (from.type === 'jwt_bearer') {
      const assertion = await from.assertion();
      tokenSecrets.set(assertionSlot, assertion);
      body.set('assertion', assertion);
    }
    if (from.type === 'refresh_token') body.set('refresh_token', from.refreshToken);
    if (from.type === 'authorization_code') {
      body.set('code', from.code);
      body.set('redirect_uri', from.redirectURI);
      if (from.codeVerifier !== undefined) body.set('code_verifier', from.codeVerifier);
    }
    if (!useBasic || options.clientSecret === undefined) body.set('client_id', options.clientId);
    if (!useBasic && options.clientSecret !== undefined) body.set('client_secret', options.clientSecret);
    return body;
  }

  async function fetchToken(): Promise<CurrentTokens> {
    if (grant === undefined) {
      throw new IntegrationError({
        kind: 'auth',
        message: 'The OAuth2 token expired and there is no refresh token to renew it',
        provider: options.provider,
        isRetryable: false,
      });
    }
    const headers: Record<string, string> = basicCredentials === undefined ? {} : { authorization: `Basic ${basicCredentials}` };
    let data: TokenResponse;
    try {
      ({ data } = await client.request({
        method: 'POST',
        path: `${tokenURL.pathname}${tokenURL.search}`,
        body: await form(grant),
        headers,
        responseSchema: tokenResponseSchema,
      }));
    } catch (error) {
      if (IntegrationError.isInstance(error) && (error.statusCode === 400 || error.statusCode === 401)) {
        throw new IntegrationError({
          kind: 'auth',
          message: `OAuth2 token request rejected: ${error.message}`,
          provider: options.provider,
          statusCode: error.statusCode,
          isRetryable: false,
          cause: error,
        });
      }
      throw error;
    }
    const refreshToken = data.refresh_token ?? (grant.type === 'refresh_token' ? grant.refreshToken : undefined);
    tokenSecrets.set(accessSlot, data.access_token);
    tokenSecrets.set(refreshSlot, refreshToken);
    // An authorization code is single-use; client credentials and fresh assertions can always be sent again.
    grant =
      refreshToken !== undefined
        ? { type: 'refresh_token', refreshToken }
        : grant.type === 'client_credentials' || grant.type === 'jwt_bearer'
          ? grant
          : undefined;
    const expiresAt = data.expires_in === undefined ? undefined : now() + data.expires_in * 1000;
    // Short-lived tokens refresh at half their lifetime rather than on every request.
    const lifetimeMs = data.expires_in === undefined ? Number.POSITIVE_INFINITY : data.expires_in * 1000;
    current = {
      accessToken: data.access_token,
      refreshToken,
      result: { headers: { authorization: `Bearer ${data.access_token}` } },
      refreshAt: (expiresAt ?? Number.POSITIVE_INFINITY) - Math.min(skewMs, lifetimeMs / 2),
    };
    options.onTokens?.({ accessToken: data.access_token, refreshToken, expiresAt, scope: data.scope });
    return current;
  }

  return {
    kind: 'oauth2',
    apply: (request) => {
      if (current !== undefined && now() < current.refreshAt) return authenticate(request.secrets, current);
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending.then((tokens) => authenticate(request.secrets, tokens));
    },
    invalidate: () => {
      current = undefined;
    },
  };
}
