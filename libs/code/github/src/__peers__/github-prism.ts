import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startPrism, type Prism } from '@switchyard/testing';
import type { GithubProviderSettings } from '../github-settings';

/** The undici dispatcher `createGithub({ dispatcher })` takes. */
type GithubDispatcher = NonNullable<GithubProviderSettings['dispatcher']>;
type DispatchOptions = Parameters<GithubDispatcher['dispatch']>[0];
type DispatchHandler = Parameters<GithubDispatcher['dispatch']>[1];

/** A running {@link startGithubPrism}: the shared {@link Prism}, plus a dispatcher that sends through its recording `fetch`. */
export interface GithubPrism extends Prism {
  /** Give it to `createGithub({ dispatcher })`: every request then goes through {@link Prism.fetch} and lands in `exchanges`. */
  readonly dispatcher: GithubDispatcher;
}

/** Headers `send` sets itself for the bytes it sends or has already decoded. */
const FRAMING_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'host']);

async function bodyOf(body: DispatchOptions['body']): Promise<string | Uint8Array | undefined> {
  if (body === null || body === undefined || typeof body === 'string' || body instanceof Uint8Array) return body ?? undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Octokit sends with `fetchThrough(dispatcher)`, i.e. undici's `fetch`,
 * which calls only `dispatcher.dispatch(options, handler)` (undici's
 * documented handler API: `onRequestStart`, `onResponseStart`,
 * `onResponseData`, `onResponseEnd`, `onResponseError`). This one sends each
 * request with `send` (Prism's recording fetch) and replays the answer to the
 * handler in one chunk. The framing headers (`content-length`,
 * `content-encoding`, ...) are `send`'s own business both ways, so they are dropped.
 */
function dispatcherOver(send: typeof fetch): GithubDispatcher {
  const dispatch = (options: DispatchOptions, handler: DispatchHandler) => {
    const abort = new AbortController();
    const controller = {
      rawHeaders: [] as Buffer[],
      get aborted() {
        return abort.signal.aborted;
      },
      get paused() {
        return false;
      },
      get reason() {
        return abort.signal.aborted ? (abort.signal.reason as Error) : null;
      },
      abort: (reason: Error) => abort.abort(reason),
      pause() {},
      resume() {},
    };
    handler.onRequestStart?.(controller, {});
    const exchange = async () => {
      const headers = Object.entries((options.headers ?? {}) as Record<string, string | undefined>).flatMap(([name, value]) =>
        value === undefined || FRAMING_HEADERS.has(name) ? [] : [[name, value] as [string, string]],
      );
      const response = await send(new URL(options.path, options.origin), { method: options.method, headers, body: await bodyOf(options.body), signal: abort.signal });
      const answered = [...response.headers].filter(([name]) => !FRAMING_HEADERS.has(name));
      controller.rawHeaders = answered.flatMap(([name, value]) => [Buffer.from(name), Buffer.from(value)]);
      handler.onResponseStart?.(controller, response.status, Object.fromEntries(answered), response.statusText);
      const bytes = Buffer.from(await response.arrayBuffer());
      if (bytes.length > 0) handler.onResponseData?.(controller, bytes);
      handler.onResponseEnd?.(controller, {});
    };
    exchange().catch((error: unknown) => handler.onResponseError?.(controller, error instanceof Error ? error : new Error(String(error))));
    return true;
  };
  return { dispatch } as unknown as GithubDispatcher;
}

/**
 * Starts Prism 5.14 serving GitHub's official OpenAPI description
 * (`@octokit/openapi`'s `generated/api.github.com.json`, 13 MB: about 15 s and
 * 300 MB to load) on a free 127.0.0.1 port, as a validating proxy in front of
 * `upstream` (the wire-protocol fake): every request the provider sends and
 * every answer it gets is checked against the description, and a violation
 * fails the exchange (Prism's 422 for a request, 500 for a response).
 *
 * The description is used as published except for one mechanical rewrite:
 * Prism's validator cannot compile `nullable: true` without a `type` (135
 * schemas, among them the issue and most response bodies) and then skips the
 * check silently; `startPrism` serves a copy that rewrites those to
 * "the schema, or null" so they are checked.
 */
export async function startGithubPrism(upstream: string): Promise<GithubPrism> {
  const require = createRequire(import.meta.url);
  const prism = await startPrism({
    name: 'GitHub OpenAPI',
    spec: join(dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json'),
    upstream,
    readyPath: '/zen',
    missingHint: 'Install the dev dependencies @stoplight/prism-cli@5.14.2 and @octokit/openapi.',
  });
  return { ...prism, dispatcher: dispatcherOver(prism.fetch) };
}
