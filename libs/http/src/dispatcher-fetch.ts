import { fetch as undiciFetch, type Dispatcher } from 'undici';

/**
 * A `fetch` that sends through an undici dispatcher, for SDKs that take a
 * custom `fetch` (Octokit's `request.fetch`, `@slack/web-api`'s `fetch`), so
 * those providers take the same `dispatcher` setting as every other HTTP
 * provider. Without a dispatcher it is the global `fetch`.
 *
 * @example
 * ```ts
 * new Octokit({ baseUrl, request: { fetch: fetchThrough(settings.dispatcher) } });
 * ```
 */
export function fetchThrough(dispatcher: Dispatcher | undefined): typeof fetch {
  if (dispatcher === undefined) return globalThis.fetch;
  const through = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher });
  return through as unknown as typeof fetch;
}
