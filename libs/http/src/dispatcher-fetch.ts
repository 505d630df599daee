import type { Dispatcher } from 'undici';
import { undici, type UndiciModule } from './undici-loader';

type UndiciFetchInput = Parameters<UndiciModule['fetch']>[0];
type UndiciFetchInit = NonNullable<Parameters<UndiciModule['fetch']>[1]>;

/**
 * A `fetch` that sends through an undici dispatcher, for SDKs that take a
 * custom `fetch` (Octokit's `request.fetch`, `@slack/web-api`'s `fetch`), so
 * those providers take the same `dispatcher` setting as every other HTTP
 * provider. Without a dispatcher it is the global `fetch`. undici is imported
 * on the first call, not when the `fetch` is made.
 *
 * @example
 * ```ts
 * new Octokit({ baseUrl, request: { fetch: fetchThrough(settings.dispatcher) } });
 * ```
 */
export function fetchThrough(dispatcher: Dispatcher | undefined): typeof fetch {
  if (dispatcher === undefined) return globalThis.fetch;
  const through = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    // The options are copied now, so a caller reusing its init object cannot change a request waiting for undici.
    const options: UndiciFetchInit = { ...(init as UndiciFetchInit), dispatcher };
    const loaded = undici.loaded();
    if (loaded !== undefined) return loaded.fetch(input as UndiciFetchInput, options);
    return undici.load().then((module) => module.fetch(input as UndiciFetchInput, options));
  };
  return through as unknown as typeof fetch;
}
