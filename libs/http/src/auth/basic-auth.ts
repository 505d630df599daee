import type { AuthStrategy, SecretUse } from './auth-strategy';
import { secretApply } from './auth-strategy';

/** Settings of {@link basicAuth}. Give `password` or `getPassword`. */
export interface BasicAuthOptions {
  /** The user name (or account id, or API key where the password is empty, as Stripe does). */
  readonly username: string;
  /** The password. Default: empty — then `username` is the secret and is kept as one. */
  readonly password?: string | undefined;
  /** Resolves the password on each request (may be async and may cache); used when `password` is not given. */
  readonly getPassword?: (() => string | Promise<string>) | undefined;
}

/**
 * Sends `Authorization: Basic base64(username:password)`. The password (or,
 * without one, the user name) and the encoded credentials are kept in the
 * client's `secrets`, so they are redacted.
 *
 * @example
 * ```ts
 * const auth = basicAuth({ username: accountSid, password: authToken });
 * ```
 */
export function basicAuth(options: BasicAuthOptions): AuthStrategy {
  const send = (password: string, secret: string): SecretUse => {
    const encoded = Buffer.from(`${options.username}:${password}`).toString('base64');
    return { result: { headers: { authorization: `Basic ${encoded}` } }, secrets: [secret, encoded] };
  };
  if (options.password === undefined && options.getPassword === undefined) {
    return { kind: 'basic', apply: secretApply(options.username, 'basic auth user name', (username) => send('', username)) };
  }
  const source = options.password ?? options.getPassword ?? '';
  return { kind: 'basic', apply: secretApply(source, 'basic auth password', (password) => send(password, password)) };
}
