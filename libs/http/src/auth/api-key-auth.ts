import type { AuthResult, AuthStrategy } from './auth-strategy';
import { secretApply } from './auth-strategy';

/** Settings of {@link apiKeyAuth}. Give `value` or `getValue`. */
export interface ApiKeyAuthOptions {
  /** Where the key goes: a header or a query parameter. */
  readonly in: 'header' | 'query';
  /** The header or query parameter name, e.g. `x-api-key` or `api_key`. */
  readonly name: string;
  /** The key itself. */
  readonly value?: string | undefined;
  /** Resolves the key on each request (may be async and may cache); used when `value` is not given. */
  readonly getValue?: (() => string | Promise<string>) | undefined;
}

/**
 * Sends an API key in a header or query parameter. The key is kept in
 * the client's `secrets`, so it never shows in errors or logs.
 *
 * @example
 * ```ts
 * const auth = apiKeyAuth({ in: 'header', name: 'x-api-key', value: process.env.ACME_API_KEY });
 * ```
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): AuthStrategy {
  const name = options.in === 'header' ? options.name.toLowerCase() : options.name;
  const source = options.value ?? options.getValue ?? '';
  const build = (value: string): AuthResult => (options.in === 'header' ? { headers: { [name]: value } } : { query: { [name]: value } });
  return {
    kind: 'api-key',
    apply: secretApply(source, `API key (${options.name})`, (value) => ({ result: build(value), secrets: [value] })),
  };
}
