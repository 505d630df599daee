import { createServer, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback';

/**
 * A fault the server injects instead of a normal answer:
 * - `reset`: destroys the socket before answering (ECONNRESET / socket error);
 * - `reset-after-headers`: sends the status and headers, then destroys the socket mid-body;
 * - `hang`: never answers (for timeouts; `close()` ends the connection);
 * - `malformed-json`: answers with `content-type: application/json` and a truncated JSON body.
 */
export type FaultKind = 'reset' | 'reset-after-headers' | 'hang' | 'malformed-json';

/** One scripted answer. Every field is optional: the default is `200` with an empty body. */
export interface FaultResponse {
  /** Status code. Default 200. */
  readonly status?: number | undefined;
  /** Response headers. A JSON body adds `content-type: application/json` unless given. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>> | undefined;
  /** A string is sent as is; `Uint8Array` as bytes; anything else as JSON. Default: empty. */
  readonly body?: unknown;
  /** A fault to inject instead of (or, for `reset-after-headers`, in the middle of) the answer. */
  readonly fault?: FaultKind | undefined;
  /** Waits this long before answering: a slow response. Default 0. */
  readonly delayMs?: number | undefined;
}

/** A request the server received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path with the query string, as sent. */
  readonly path: string;
  /** Path without the query string: what routes match. */
  readonly pathname: string;
  readonly query: URLSearchParams;
  /** Lower-case header names. */
  readonly headers: IncomingHttpHeaders;
  /** The request body as UTF-8 text. */
  readonly body: string;
  /** The client's port: the same port on several requests means the connection was reused. */
  readonly remotePort: number | undefined;
}

/**
 * What a route answers: one response every time, a script of responses (one
 * per request, the last repeating), or a function of the request.
 */
export type FaultRoute = FaultResponse | readonly FaultResponse[] | ((request: RecordedRequest) => FaultResponse);

/**
 * Routes keyed by `"METHOD /path"`, by `"/path"` (any method) or by `"*"`
 * (any request no other route matches). Unrouted requests get a JSON 404.
 */
export type FaultRoutes = Readonly<Record<string, FaultRoute>>;

/** A running {@link startFaultServer}. */
export interface FaultServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Adds or replaces a route (and restarts its script); `undefined` removes it. */
  route(key: string, route: FaultRoute | undefined): void;
  /** Stops the server, ending hanging and keep-alive connections. */
  close(): Promise<void>;
}

function send(response: ServerResponse, answer: FaultResponse): void {
  if (answer.fault === 'reset') {
    response.socket?.destroy();
    return;
  }
  if (answer.fault === 'hang') return;
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name] = typeof value === 'string' ? value : [...value];
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  let body: string | Uint8Array;
  if (answer.fault === 'malformed-json') {
    body = '{"id": 1, "name": "trunc';
    if (!hasContentType) headers['content-type'] = 'application/json';
  } else if (answer.body === undefined || typeof answer.body === 'string' || answer.body instanceof Uint8Array) {
    body = answer.body ?? '';
  } else {
    body = JSON.stringify(answer.body);
    if (!hasContentType) headers['content-type'] = 'application/json';
  }
  if (answer.fault === 'reset-after-headers') {
    response.writeHead(answer.status ?? 200, { ...headers, 'content-length': String(Buffer.byteLength(body) + 100) });
    response.write(body, () => response.socket?.destroy());
    return;
  }
  response.writeHead(answer.status ?? 200, headers);
  response.end(body);
}

/**
 * Starts a node:http server on 127.0.0.1 (a free port) that answers with
 * scripted responses and faults: any status with headers and body (e.g.
 * 429 with or without `Retry-After`), connection resets, hangs, malformed
 * JSON and slow responses. It records every request. Close it after the test.
 *
 * @example
 * ```ts
 * const server = await startFaultServer({ 'GET /limited': [{ status: 429, headers: { 'retry-after': '2' } }, { body: { ok: true } }] });
 * try { ... } finally { await server.close(); }
 * ```
 */
export async function startFaultServer(routes: FaultRoutes = {}): Promise<FaultServer> {
  const table = new Map<string, FaultRoute>(Object.entries(routes));
  const positions = new Map<string, number>();
  const requests: RecordedRequest[] = [];

  function answerFor(request: RecordedRequest): FaultResponse {
    const exact = `${request.method} ${request.pathname}`;
    const key = table.has(exact) ? exact : table.has(request.pathname) ? request.pathname : '*';
    const route = table.get(key);
    if (route === undefined) return { status: 404, body: { message: `No fault-server route for ${request.method} ${request.pathname}` } };
    if (typeof route === 'function') return route(request);
    if (!Array.isArray(route)) return route as FaultResponse;
    const script = route as readonly FaultResponse[];
    const position = positions.get(key) ?? 0;
    positions.set(key, position + 1);
    return script[Math.min(position, script.length - 1)] ?? {};
  }

  function handle(incoming: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const path = incoming.url ?? '/';
      const url = new URL(path, 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path,
        pathname: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: incoming.socket.remotePort,
      };
      requests.push(recorded);
      const answer = answerFor(recorded);
      if (answer.delayMs !== undefined && answer.delayMs > 0) setTimeout(() => send(response, answer), answer.delayMs);
      else send(response, answer);
    });
  }

  const { url, port, close } = await listenOnLoopback(createServer(handle));
  return {
    url,
    port,
    requests,
    route(key, route) {
      if (route === undefined) table.delete(key);
      else table.set(key, route);
      positions.delete(key);
    },
    close,
  };
}
