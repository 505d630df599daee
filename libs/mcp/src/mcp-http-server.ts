import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { IntegrationError, type Hub } from '@switchyard/core';
import { createMcpServer, type McpServerOptions, type SwitchyardMcpServer } from './mcp-server';

/** Options of {@link startMcpHttpServer}; the {@link McpServerOptions} apply to every session. */
export interface McpHttpServerOptions extends McpServerOptions {
  /** The hub whose tools are served; {@link McpHttpServer.close} leaves it open. */
  readonly hub: Hub;
  /** The interface to listen on. Default `'127.0.0.1'`. */
  readonly host?: string;
  /** The port; default 0 (any free one, see {@link McpHttpServer.url}). */
  readonly port?: number;
  /** The endpoint's path. Default `'/mcp'`. */
  readonly path?: string;
  /**
   * Bearer tokens that may call the server, compared in constant time.
   * Required unless `host` is a loopback address; with none, a loopback
   * server takes every local caller.
   */
  readonly tokens?: readonly string[];
  /**
   * Checks a bearer key that is none of `tokens`, e.g. an API key kept hashed
   * in the store: `verifyKey: (key) => createApiKeys(store).verify(key, 'execute')`
   * (`@switchyard/platform`). `ok: false` answers 401, or 403 when `reason`
   * is `'forbidden'` (a good key without the scope). A session stays bound to
   * the key that opened it.
   */
  readonly verifyKey?: (
    key: string,
  ) => Promise<{ readonly ok: boolean; readonly reason?: string; readonly identity?: { readonly id: string } }>;
  /**
   * Browser origins allowed to call (`https://app.example.com`). A request
   * with any other `Origin` header gets 403; requests without one (agents,
   * CLIs) pass. Default: none.
   */
  readonly allowedOrigins?: readonly string[];
  /** Largest request body accepted; larger ones get 413. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** How long `close()` waits for requests in flight before cutting connections. Default 5,000 ms. */
  readonly drainTimeoutMs?: number;
}

/** A running MCP Streamable HTTP endpoint. */
export interface McpHttpServer {
  /** The endpoint, e.g. `http://127.0.0.1:53124/mcp`. */
  readonly url: string;
  /** How many sessions are open. */
  readonly sessionCount: number;
  /** Sends `notifications/tools/list_changed` to every open session. */
  toolsChanged(): Promise<void>;
  /** Stops taking connections, waits for requests in flight (up to `drainTimeoutMs`), then closes every session. */
  close(): Promise<void>;
}

const SESSION_HEADER = 'mcp-session-id';
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  readonly mcp: SwitchyardMcpServer;
  /** Who opened it: `token:<n>`, `key:<id>`, or `anyone` on an open loopback server. */
  readonly principal: string;
}

class BodyTooLarge extends Error {}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The bearer key of a request, or undefined. */
function bearer(request: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** The index of the token the request carries, or -1; hashes both sides so lengths leak nothing, and checks every token. */
function matchingToken(presentedKey: string | undefined, tokenDigests: readonly Buffer[]): number {
  const presented = digest(presentedKey ?? '');
  let found = -1;
  tokenDigests.forEach((tokenDigest, index) => {
    if (timingSafeEqual(presented, tokenDigest) && presentedKey !== undefined) found = index;
  });
  return found;
}

function reply(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32_000, message }, id: null }));
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Serves a hub's tools over MCP Streamable HTTP on `node:http`, one SDK
 * `StreamableHTTPServerTransport` (and one MCP server) per session: the
 * session id travels in the `Mcp-Session-Id` header, `DELETE` ends a session.
 * Checks, in order: path (404), `Origin` against `allowedOrigins` (403),
 * bearer token or key (401 with `WWW-Authenticate: Bearer`; 403 for a key
 * without the scope), session owner (404), body size (413).
 *
 * @example
 * ```ts
 * const mcp = await startMcpHttpServer({ hub, port: 8931, tokens: [process.env.MCP_TOKEN!] });
 * console.error(`MCP on ${mcp.url}`);
 * ```
 */
export async function startMcpHttpServer(options: McpHttpServerOptions): Promise<McpHttpServer> {
  const { hub, host = '127.0.0.1', port = 0, path = '/mcp', allowedOrigins = [], maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = options;
  const tokens = options.tokens ?? [];
  const { verifyKey } = options;
  const open = tokens.length === 0 && verifyKey === undefined;
  if (open && !LOOPBACK_HOSTS.has(host)) {
    throw new IntegrationError({
      kind: 'validation',
      message: `An MCP server on ${host} (not loopback) needs at least one bearer token or verifyKey`,
    });
  }
  if (tokens.some((token) => token.length === 0))
    throw new IntegrationError({ kind: 'validation', message: 'Bearer tokens must not be empty' });
  const tokenDigests = tokens.map(digest);
  const serverOptions: McpServerOptions = {
    ...(options.tools === undefined ? {} : { tools: options.tools }),
    ...(options.confirmDestructive === undefined ? {} : { confirmDestructive: options.confirmDestructive }),
    ...(options.name === undefined ? {} : { name: options.name }),
  };
  const sessions = new Map<string, Session>();
  const inFlight = new Set<Promise<void>>();
  let closing = false;

  /** Who is calling, `forbidden`, or undefined for no valid key. */
  async function principalOf(request: IncomingMessage): Promise<string | undefined> {
    if (open) return 'anyone';
    const key = bearer(request);
    const token = matchingToken(key, tokenDigests);
    if (token >= 0) return `token:${token}`;
    if (key === undefined || verifyKey === undefined) return undefined;
    const verdict = await verifyKey(key);
    if (verdict.ok) return `key:${verdict.identity?.id ?? digest(key).toString('hex')}`;
    return verdict.reason === 'forbidden' ? 'forbidden' : undefined;
  }

  async function openSession(request: IncomingMessage, response: ServerResponse, body: unknown, principal: string): Promise<void> {
    const mcp = createMcpServer(hub, serverOptions);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => {
        sessions.set(sessionId, { transport, mcp, principal });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await mcp.connect(transport);
    await transport.handleRequest(request, response, body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return reply(response, 404, 'Not found');
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins.includes(origin)) return reply(response, 403, 'Forbidden');
    const principal = await principalOf(request);
    if (principal === undefined) return reply(response, 401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
    if (principal === 'forbidden') return reply(response, 403, 'Forbidden: the key lacks the scope this endpoint needs');
    if (closing) return reply(response, 503, 'Shutting down');

    const sessionHeader = request.headers[SESSION_HEADER];
    const sessionId = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader;
    const found = sessionId === undefined ? undefined : sessions.get(sessionId);
    // Another key's session is answered as if it did not exist.
    const session = found?.principal === principal ? found : undefined;
    if (sessionId !== undefined && session === undefined) return reply(response, 404, 'Session not found');

    if (request.method === 'POST') {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(request, maxBodyBytes));
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          response.setHeader('connection', 'close');
          return reply(response, 413, 'Request body too large');
        }
        return reply(response, 400, 'Parse error: the body is not JSON');
      }
      if (session !== undefined) return session.transport.handleRequest(request, response, body);
      if (isInitializeRequest(body)) return openSession(request, response, body, principal);
      return reply(response, 400, 'Bad request: no session; send initialize first');
    }
    if (request.method === 'GET' || request.method === 'DELETE') {
      if (session === undefined) return reply(response, 400, 'Bad request: Mcp-Session-Id header required');
      return session.transport.handleRequest(request, response);
    }
    return reply(response, 405, 'Method not allowed', { allow: 'GET, POST, DELETE' });
  }

  const httpServer = createServer((request, response) => {
    const handled = handle(request, response).catch(() => reply(response, 500, 'Internal error'));
    // Only POSTs are drained on close: a GET is a notification stream that stays open until its session closes.
    if (request.method !== 'POST') return;
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}${path}`,
    get sessionCount() {
      return sessions.size;
    },
    async toolsChanged() {
      await Promise.all([...sessions.values()].map(({ mcp }) => mcp.toolsChanged().catch(() => undefined)));
    },
    async close() {
      if (closing) return;
      closing = true;
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, options.drainTimeoutMs ?? 5000);
        }),
      ]);
      clearTimeout(timer);
      await Promise.allSettled([...sessions.values()].map(({ transport, mcp }) => transport.close().then(() => mcp.close())));
      sessions.clear();
      httpServer.closeAllConnections();
      await stopped;
    },
  };
}
