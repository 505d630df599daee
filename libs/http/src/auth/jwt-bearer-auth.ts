import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { AuthResult, AuthStrategy } from './auth-strategy';
import { strategySlot } from './auth-strategy';

/** Settings of {@link createJwt}. */
export interface JwtOptions {
  /** PEM private key or a `KeyObject`. `jwtBearerAuth` keeps a PEM string in the client's `secrets`. */
  readonly privateKey: string | KeyObject;
  /** `RS256` (RSA) or `ES256` (P-256). Default `RS256`. */
  readonly algorithm?: 'RS256' | 'ES256' | undefined;
  /** The `kid` header. Default: none. */
  readonly keyId?: string | undefined;
  /** Claims besides `iat` and `exp`, e.g. `{ iss, sub, aud, scope }`. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Seconds until `exp`. Default 600. */
  readonly lifetimeSeconds?: number | undefined;
  /** Clock in epoch ms. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Signs a compact JWT (`iat` 30 s in the past against clock skew, `exp` after
 * `lifetimeSeconds`): for GitHub App tokens, or as the assertion of an
 * OAuth2 JWT-bearer grant (RFC 7523, e.g. Google service accounts). Keeping
 * the key and the token secret is the caller's part: `jwtBearerAuth` and
 * `oauth2Auth` keep them in their clients' `secrets`; elsewhere add the key
 * to the provider's `SecretSet` and `set` the token in a slot.
 *
 * @example
 * ```ts
 * const jwt = createJwt({ privateKey: pem, claims: { iss: appId } });
 * ```
 */
export function createJwt(options: JwtOptions): string {
  const algorithm = options.algorithm ?? 'RS256';
  const issuedAt = Math.floor((options.now ?? Date.now)() / 1000) - 30;
  const header = base64UrlJson({ alg: algorithm, typ: 'JWT', ...(options.keyId === undefined ? {} : { kid: options.keyId }) });
  const payload = base64UrlJson({ ...options.claims, iat: issuedAt, exp: issuedAt + 30 + (options.lifetimeSeconds ?? 600) });
  const signingInput = `${header}.${payload}`;
  const key = typeof options.privateKey === 'string' ? createPrivateKey(options.privateKey) : options.privateKey;
  const signature = sign('sha256', Buffer.from(signingInput), algorithm === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** Settings of {@link jwtBearerAuth}: those of {@link createJwt}, plus how early to re-sign. */
export interface JwtBearerAuthOptions extends JwtOptions {
  /** Sign a new token this long before the current one expires. Default 60 000 ms (at most half the lifetime). */
  readonly refreshSkewMs?: number | undefined;
}

/**
 * Sends a self-signed JWT as `Authorization: Bearer <jwt>` (GitHub Apps and
 * other APIs that accept signed assertions directly), re-signed shortly
 * before it expires. The current JWT (in a slot of this strategy's own, so a
 * new one replaces it) and a PEM key are kept in the client's `secrets`.
 * For the OAuth2 JWT-bearer grant, pass an assertion built with
 * {@link createJwt} to `oauth2Auth` instead.
 *
 * @example
 * ```ts
 * const auth = jwtBearerAuth({ privateKey: process.env.GITHUB_APP_PRIVATE_KEY!, claims: { iss: appId }, lifetimeSeconds: 540 });
 * ```
 */
export function jwtBearerAuth(options: JwtBearerAuthOptions): AuthStrategy {
  const now = options.now ?? Date.now;
  const lifetimeMs = (options.lifetimeSeconds ?? 600) * 1000;
  const skewMs = Math.min(options.refreshSkewMs ?? 60_000, lifetimeMs / 2);
  const slot = strategySlot('jwt-bearer');
  let current: { token: string; result: AuthResult; refreshAt: number } | undefined;
  return {
    kind: 'jwt-bearer',
    apply: (request) => {
      const time = now();
      if (current === undefined || time >= current.refreshAt) {
        const token = createJwt(options);
        current = { token, result: { headers: { authorization: `Bearer ${token}` } }, refreshAt: time + lifetimeMs - skewMs };
      }
      if (typeof options.privateKey === 'string') request.secrets.add(options.privateKey);
      request.secrets.set(slot, current.token);
      return current.result;
    },
  };
}
