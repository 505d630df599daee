import { createHash, randomBytes } from 'node:crypto';

/** A PKCE (RFC 7636) verifier and its S256 challenge. */
export interface PkcePair {
  /** Keep this secret until the token exchange; `oauth2Auth` keeps it in its `secrets`. */
  readonly codeVerifier: string;
  /** Send this in the authorization URL. */
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256';
}

/**
 * Creates a PKCE pair: a 43-character random verifier (32 bytes,
 * base64url) and its SHA-256 challenge.
 *
 * @example
 * ```ts
 * const pkce = createPkcePair();
 * const url = buildAuthorizationUrl({ authorizationURL, clientId, redirectURI, codeChallenge: pkce.codeChallenge, state });
 * ```
 */
export function createPkcePair(): PkcePair {
  const codeVerifier = randomBytes(32).toString('base64url');
  const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
  return { codeVerifier, codeChallenge, codeChallengeMethod: 'S256' };
}

/** Settings of {@link buildAuthorizationUrl}. */
export interface AuthorizationUrlOptions {
  /** The provider's authorization endpoint, e.g. `https://github.com/login/oauth/authorize`. */
  readonly authorizationURL: string;
  readonly clientId: string;
  /** Where the provider sends the user back with `code` and `state`. */
  readonly redirectURI: string;
  /** Scopes, joined with spaces when given as a list. Default: none. */
  readonly scope?: string | readonly string[] | undefined;
  /** Opaque value checked on the way back against CSRF. Default: none (pass one). */
  readonly state?: string | undefined;
  /** The PKCE challenge from {@link createPkcePair}; sent with method `S256`. Default: none. */
  readonly codeChallenge?: string | undefined;
  /** Provider-specific parameters, e.g. `{ access_type: 'offline', prompt: 'consent' }`. */
  readonly extraParameters?: Readonly<Record<string, string>> | undefined;
}

/**
 * Builds the authorization-code URL to send a user to
 * (`response_type=code`), keeping any query the endpoint already has.
 *
 * @example
 * ```ts
 * buildAuthorizationUrl({ authorizationURL: 'https://auth.example/authorize', clientId: 'app', redirectURI: 'https://app.example/callback', scope: ['read', 'write'], state, codeChallenge });
 * ```
 */
export function buildAuthorizationUrl(options: AuthorizationUrlOptions): string {
  const url = new URL(options.authorizationURL);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', options.redirectURI);
  if (options.scope !== undefined)
    url.searchParams.set('scope', typeof options.scope === 'string' ? options.scope : options.scope.join(' '));
  if (options.state !== undefined) url.searchParams.set('state', options.state);
  if (options.codeChallenge !== undefined) {
    url.searchParams.set('code_challenge', options.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [name, value] of Object.entries(options.extraParameters ?? {})) url.searchParams.set(name, value);
  return url.toString();
}
