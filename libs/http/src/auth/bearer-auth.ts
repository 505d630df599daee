import type { AuthResult, AuthStrategy } from './auth-strategy';
import { withSecret } from './auth-strategy';

/** Settings of {@link bearerAuth}. Give `token` or `getToken`. */
export interface BearerAuthOptions {
  /** The token. */
  readonly token?: string | undefined;
  /** Resolves the token on each request (may be async and may cache); used when `token` is not given. */
  readonly getToken?: (() => string | Promise<string>) | undefined;
  /** The scheme word before the token. Default `Bearer` (GitHub also accepts `token`, Discord wants `Bot`). */
  readonly scheme?: string | undefined;
}

/**
 * Sends `Authorization: Bearer <token>`. The token is registered with core's
 * redaction.
 *
 * @example
 * ```ts
 * const auth = bearerAuth({ getToken: () => process.env.GITHUB_TOKEN ?? '' });
 * ```
 */
export function bearerAuth(options: BearerAuthOptions): AuthStrategy {
  const scheme = options.scheme ?? 'Bearer';
  const source = options.token ?? options.getToken ?? '';
  const build = (token: string): AuthResult => ({ headers: { authorization: `${scheme} ${token}` } });
  let cached: AuthResult | undefined;
  return {
    kind: 'bearer',
    apply: () => {
      if (cached !== undefined) return cached;
      const result = withSecret(source, 'bearer token', build);
      if (typeof source === 'string') cached = result as AuthResult;
      return result;
    },
  };
}
