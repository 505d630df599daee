import type { ErrorKind } from '../errors/integration-error';
import type { SecretSet } from '../errors/secret-set';

/**
 * What core needs from a credential store, and what a provider may use of
 * one. The vault that implements it (`createCredentialManager` in
 * `@switchyard/platform`) lives outside core, so a host that keeps secrets
 * elsewhere implements these few methods instead.
 */

/** Tells the router which providers have usable credentials (the credential vault implements it). */
export interface CredentialLookup {
  has(providerId: string): boolean;
  /** When present, the hub re-emits each OAuth2 refresh as `credential.refresh` (the vault implements it). */
  onRefresh?(listener: (event: CredentialRefreshEvent) => void): () => void;
  /** The secrets the vault has opened, for the hub to redact. Default: none. */
  readonly secrets?: SecretSet | undefined;
}

/** The part of the credential vault a provider calls: opening secrets and keeping OAuth2 tokens fresh. */
export interface CredentialVault {
  /** Opens a secret. Throws `not_found` when there is none and `auth` when it does not open. */
  get(integrationId: string, field: string): Promise<string>;
  /** Stores an integration's OAuth2 tokens. */
  setOAuth2Tokens(integrationId: string, tokens: OAuth2TokenSet): Promise<void>;
  /** A usable access token: the stored one while it is fresh, else one `refresh` returns (one refresh per integration at a time). */
  getAccessToken(integrationId: string, refresh: OAuth2RefreshFunction): Promise<string>;
  /** Marks the integration's current access token as rejected (e.g. after a 401): the next `getAccessToken` refreshes. */
  invalidate(integrationId: string): void;
}

/** An integration's OAuth2 tokens as the vault keeps them (sealed, in one record). */
export interface OAuth2TokenSet {
  /** Default: none, so the first `getAccessToken` refreshes. */
  readonly accessToken?: string | undefined;
  /** Default: none; without one an expired access token cannot be refreshed (`auth`). */
  readonly refreshToken?: string | undefined;
  /** When the access token expires, in epoch ms. Default: never. */
  readonly expiresAt?: number | undefined;
}

/** What a refresh function returns: the provider's token response. */
export interface OAuth2RefreshResult {
  readonly accessToken: string;
  /** A rotated refresh token. Default: the provider kept the old one, and so does the vault. */
  readonly refreshToken?: string | undefined;
  /** Lifetime of the new access token, in seconds. */
  readonly expiresInSeconds: number;
}

/** Exchanges a refresh token for new tokens at the provider's token endpoint. */
export type OAuth2RefreshFunction = (refreshToken: string) => Promise<OAuth2RefreshResult>;

/**
 * One OAuth2 refresh, as the vault reports it (and the hub re-emits as its
 * `credential.refresh` event). Never holds a token.
 * - `refreshed`: this process exchanged the refresh token and stored the result;
 * - `adopted`: another process refreshed first, and its stored token is used;
 * - `failed`: no usable token; `error` says why.
 */
export interface CredentialRefreshEvent {
  readonly integrationId: string;
  readonly outcome: 'refreshed' | 'adopted' | 'failed';
  readonly durationMs: number;
  readonly error?: { readonly kind: ErrorKind; readonly message: string } | undefined;
}
