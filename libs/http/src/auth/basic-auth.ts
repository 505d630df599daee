import { registerSecret } from '@switchyard/core';
import type { AuthResult, AuthStrategy } from './auth-strategy';
import { withSecret } from './auth-strategy';

/** Settings of {@link basicAuth}. Give `password` or `getPassword`. */
export interface BasicAuthOptions {
  /** The user name (or account id, or API key where the password is empty, as Stripe does). */
  readonly username: string;
  /** The password. Default: empty — then `username` is the secret and is registered as one. */
  readonly password?: string | undefined;
  /** Resolves the password on each request (may be async and may cache); used when `password` is not given. */
  readonly getPassword?: (() => string | Promise<string>) | undefined;
}

/**
 * Sends `Authorization: Basic base64(username:password)`. The password and
 * the encoded credentials are registered with core's redaction.
 *
 * @example
 * ```ts
 * const auth = basicAuth({ username: accountSid, password: authToken });
 * ```
 */
export function basicAuth(options: BasicAuthOptions): AuthStrategy {
  const build = (password: string): AuthResult => {
    const encoded = Buffer.from(`${options.username}:${password}`).toString('base64');
    registerSecret(encoded);
    return { headers: { authorization: `Basic ${encoded}` } };
  };
  if (options.password === undefined && options.getPassword === undefined) {
    registerSecret(options.username);
    const result = build('');
    return { kind: 'basic', apply: () => result };
  }
  const source = options.password ?? options.getPassword ?? '';
  let cached: AuthResult | undefined;
  return {
    kind: 'basic',
    apply: () => {
      if (cached !== undefined) return cached;
      const result = withSecret(source, 'basic auth password', build);
      if (typeof source === 'string') cached = result as AuthResult;
      return result;
    },
  };
}
