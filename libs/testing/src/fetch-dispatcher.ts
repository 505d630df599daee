import { Dispatcher } from 'undici';

/** Request headers undici computed for the original body and connection; `send` computes its own. */
const HOP_HEADERS = new Set(['content-length', 'host', 'connection', 'transfer-encoding']);

type DispatchOptions = Dispatcher.DispatchOptions;
type DispatchHandler = Dispatcher.DispatchHandler;

async function bodyOf(body: DispatchOptions['body']): Promise<string | Uint8Array | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<string | Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function headerPairs(headers: DispatchOptions['headers']): [string, string][] {
  if (headers === null || headers === undefined) return [];
  const pairs: [string, string][] = [];
  if (Array.isArray(headers)) {
    for (let index = 0; index + 1 < headers.length; index += 2) pairs.push([String(headers[index]), String(headers[index + 1])]);
  } else if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [name, value] of headers as Iterable<[string, string | string[] | undefined]>)
      if (value !== undefined) pairs.push([name, String(value)]);
  } else {
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) pairs.push([name, String(value)]);
  }
  return pairs.filter(([name]) => !HOP_HEADERS.has(name.toLowerCase()));
}

/**
 * An undici {@link Dispatcher} that sends every request with a `fetch`
 * (Prism's recording `fetch`, or a test's altered copy of it), so a provider
 * that takes a `dispatcher` goes through it whichever way it calls:
 * `dispatcher.request()` (`@switchyard/http`) or `dispatch()` (undici's
 * `fetch`, and so `fetchThrough`). The answer is read whole before it is
 * handed on (test answers are small); `send` has already decoded the body,
 * so `content-encoding` is not passed on.
 *
 * @example
 * ```ts
 * const slack = createSlack({ token, baseURL: prism.url, dispatcher: fetchDispatcher(prism.fetch) });
 * ```
 */
export function fetchDispatcher(send: typeof fetch): Dispatcher {
  return new FetchDispatcher(send);
}

class FetchDispatcher extends Dispatcher {
  readonly #send: typeof fetch;

  constructor(send: typeof fetch) {
    super();
    this.#send = send;
  }

  override dispatch(options: DispatchOptions, handler: DispatchHandler): boolean {
    const abort = new AbortController();
    const controller = {
      // undici's fetch builds the Response's headers from the raw pairs, not from the object handed to onResponseStart.
      rawHeaders: [] as Buffer[],
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
    void (async () => {
      try {
        handler.onRequestStart?.(controller, {});
        const origin = options.origin ?? 'http://127.0.0.1';
        const response = await this.#send(new URL(options.path, origin), {
          method: options.method,
          headers: headerPairs(options.headers),
          body: await bodyOf(options.body),
          signal: abort.signal,
        });
        const body = Buffer.from(await response.arrayBuffer());
        const answered = [...response.headers].filter(([name]) => name !== 'content-encoding' && name !== 'content-length');
        controller.rawHeaders = answered.flatMap(([name, value]) => [Buffer.from(name), Buffer.from(value)]);
        handler.onResponseStart?.(controller, response.status, Object.fromEntries(answered), response.statusText);
        if (body.length > 0) handler.onResponseData?.(controller, body);
        handler.onResponseEnd?.(controller, {});
      } catch (error) {
        handler.onResponseError?.(controller, error instanceof Error ? error : new Error(String(error)));
      }
    })();
    return true;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}
