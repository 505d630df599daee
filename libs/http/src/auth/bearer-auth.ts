import type { AuthStrategy } from './auth-strategy';
import { secretApply } from './auth-strategy';

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
 * Sends `Authorization: Bearer <token>`. The token is kept in the client's
 * `secrets` (a token from `getToken` in a slot of this strategy's own, so a
 * rotated token replaces the one before it), so it is redacted.
 *
 * @example
 * ```ts
 * const auth = bearerAuth({ getToken: () => process.env.GITHUB_TOKEN ?? '' });
 * ```
 */
export function bearerAuth(options: BearerAuthOptions): AuthStrategy {
  const scheme = options.scheme ?? 'Bearer';
  const source = options.token ?? options.getToken ?? '';
  return {
    kind: 'bearer',
    apply: secretApply(source, 'bearer token', (token) => ({
      result: { headers: { authorization: `${scheme} ${token}` } },
      secrets: [token],
    })),
  };
}
