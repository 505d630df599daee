import type { AuthRequest, AuthResult, AuthStrategy } from './auth-strategy';

/**
 * Authenticates each request with a signature computed from it (AWS SigV4,
 * HMAC-signed webhooks to partners, ...): `sign` receives the method,
 * origin, path, headers and encoded body and returns the headers or query
 * parameters to add. Keep any long-lived signing key in the client's
 * secrets: give the client (or integration) the provider's `SecretSet`
 * holding it, or call `request.secrets.add(key)` in `sign`. Per-request
 * signatures are not kept (they would only churn the set); the client
 * redacts a request's own auth headers and query values from its errors,
 * and request headers never reach errors otherwise.
 *
 * @example
 * ```ts
 * const auth = signedRequestAuth((request) => ({ headers: { 'x-signature': hmac(secret, `${request.method}${request.path}`) } }));
 * ```
 */
export function signedRequestAuth(sign: (request: AuthRequest) => AuthResult | Promise<AuthResult>): AuthStrategy {
  return { kind: 'signed-request', apply: sign };
}
