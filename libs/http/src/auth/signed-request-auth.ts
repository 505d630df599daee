import type { AuthRequest, AuthResult, AuthStrategy } from './auth-strategy';

/**
 * Authenticates each request with a signature computed from it (AWS SigV4,
 * HMAC-signed webhooks to partners, ...): `sign` receives the method,
 * origin, path, headers and encoded body and returns the headers or query
 * parameters to add. Register any long-lived signing key with
 * `registerSecret` yourself; per-request signatures are not registered
 * (they would grow the redaction list forever), and request headers never
 * reach errors.
 *
 * @example
 * ```ts
 * const auth = signedRequestAuth((request) => ({ headers: { 'x-signature': hmac(secret, `${request.method}${request.path}`) } }));
 * ```
 */
export function signedRequestAuth(sign: (request: AuthRequest) => AuthResult | Promise<AuthResult>): AuthStrategy {
  return { kind: 'signed-request', apply: sign };
}
