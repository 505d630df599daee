import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from '@switchyard/testing';

/** A request a fake received. */
export interface FakeRequest {
  readonly method: string;
  readonly url: URL;
  /** Lower-case header names. */
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What a fake answers: a status, headers and a JSON (or text) body. */
export interface FakeReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A running fake on 127.0.0.1. */
export interface FakeServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: FakeRequest[];
  /** Answers the next request that is not a token request with `reply` (fault injection: 429, 5xx, 403). */
  failNext(reply: FakeReply): void;
  close(): Promise<void>;
}

/** The ARM error envelope: `{ "error": { "code", "message" } }`. */
export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): FakeReply {
  return { status, headers, body: { error: { code, message } } };
}

/** Entra ID client credentials the fake token endpoint accepts. */
export interface FakeEntraOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * Starts an HTTP server on 127.0.0.1 that answers the Microsoft Entra ID
 * token endpoint (`POST /{tenant}/oauth2/v2.0/token`, client credentials in
 * the form body) and hands every other request, with a valid Bearer token
 * (or marked public by `isPublic`), to `handle`. Unknown routes get 404; missing or wrong tokens ARM's 401.
 */
export async function startFakeServer(
  entra: FakeEntraOptions,
  handle: (request: FakeRequest) => FakeReply | undefined,
  /** Requests answered without a Bearer token (a function app's own host). Default: none. */
  isPublic: (request: FakeRequest) => boolean = () => false,
): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const tokens = new Set<string>();
  const faults: FakeReply[] = [];

  function token(request: FakeRequest): FakeReply {
    const form = new URLSearchParams(request.body);
    if (request.url.pathname !== `/${entra.tenantId}/oauth2/v2.0/token`) {
      return {
        status: 400,
        body: {
          error: 'invalid_request',
          error_description: `AADSTS90002: Tenant '${request.url.pathname.split('/')[1] ?? ''}' not found.`,
        },
      };
    }
    if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== 'https://management.azure.com/.default') {
      return {
        status: 400,
        body: { error: 'invalid_scope', error_description: 'AADSTS70011: The provided request must include a valid scope.' },
      };
    }
    if (form.get('client_id') !== entra.clientId || form.get('client_secret') !== entra.clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } };
    }
    const accessToken = `fake-arm-token-${randomUUID()}`;
    tokens.add(accessToken);
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken } };
  }

  function answer(request: FakeRequest): FakeReply {
    if (request.method === 'POST' && request.url.pathname.endsWith('/oauth2/v2.0/token')) return token(request);
    const fault = faults.shift();
    if (fault !== undefined) return fault;
    if (isPublic(request)) return handle(request) ?? { status: 404 };
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer === undefined) return armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
    if (!tokens.has(bearer)) return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    return handle(request) ?? armError(404, 'NotFound', `No route for ${request.method} ${request.url.pathname}`);
  }

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: FakeRequest = {
        method: incoming.method ?? 'GET',
        url: new URL(incoming.url ?? '/', 'http://127.0.0.1'),
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const reply = answer(request);
      const isText = typeof reply.body === 'string';
      const body = reply.body === undefined ? '' : isText ? reply.body : JSON.stringify(reply.body);
      response.writeHead(reply.status, {
        ...(reply.body === undefined ? {} : { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' }),
        ...reply.headers,
      });
      response.end(body);
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    requests,
    failNext: (reply) => faults.push(reply),
    close,
  };
}
