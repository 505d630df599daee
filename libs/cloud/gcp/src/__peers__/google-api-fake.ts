import { randomUUID, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '@switchyard/testing';

/** One request a route answers: method, path, query and parsed body. */
export interface FakeRequest {
  readonly method: string;
  /** The `authorization` header, or ''. */
  readonly authorization: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Buffer;
  json(): Record<string, unknown>;
}

/** What a route returns: a status and a JSON body (or raw text). */
export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
}

/** Answers a request, or returns undefined to fall through to the next route (and finally 404). */
export type FakeRoute = (request: FakeRequest) => FakeResponse | undefined | Promise<FakeResponse | undefined>;

/** A running Google API fake. */
export interface GoogleApiFake {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `<url>/token`: the OAuth2 token endpoint. */
  readonly tokenURL: string;
  /** Every API request (not token requests) received, in order, as `METHOD /path?query`. */
  readonly requests: string[];
  /** Token requests received. */
  tokenRequests(): number;
  /** The access tokens handed out, to check none leaks. */
  readonly issuedTokens: string[];
  /** ID tokens handed out (assertions with `target_audience`), by token, with their audience. */
  readonly idTokens: Map<string, string>;
  stop(): Promise<void>;
}

/** The error envelope every Google REST API sends (https://cloud.google.com/apis/design/errors). */
export function googleError(code: number, status: string, message: string): FakeResponse {
  return { status: code, body: { error: { code, message, status } } };
}

function verifyAssertion(assertion: string, publicKeyPem: string | undefined): boolean {
  const [header, payload, signature] = assertion.split('.');
  if (header === undefined || payload === undefined || signature === undefined) return false;
  if (publicKeyPem === undefined) return true;
  return verify('sha256', Buffer.from(`${header}.${payload}`), publicKeyPem, Buffer.from(signature, 'base64url'));
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, result: FakeResponse): void {
  if (result.body === undefined) {
    response.writeHead(result.status).end();
    return;
  }
  const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
  response
    .writeHead(result.status, { 'content-type': typeof result.body === 'string' ? 'text/plain' : 'application/json; charset=UTF-8' })
    .end(text);
}

/**
 * A loopback server speaking Google's REST conventions: an OAuth2 token
 * endpoint for the JWT-bearer grant at `/token` (it checks the assertion's
 * RS256 signature when given the service account's public key), bearer
 * tokens required on every other route, and the `{ error: { code, message,
 * status } }` envelope for failures. The Cloud Functions and Compute Engine
 * fakes add their routes to it.
 */
export async function startGoogleApiFake(options: {
  readonly routes: readonly FakeRoute[];
  readonly publicKeyPem?: string;
  /** Paths that need no bearer token (signed upload URLs, public function URLs). Default: none. */
  readonly publicPaths?: RegExp;
}): Promise<GoogleApiFake> {
  const requests: string[] = [];
  const issuedTokens: string[] = [];
  const idTokens = new Map<string, string>();
  let tokenRequests = 0;
  const server = createServer((incoming, response) => {
    void (async () => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(incoming);
      const method = incoming.method ?? 'GET';
      if (url.pathname === '/token' && method === 'POST') {
        tokenRequests += 1;
        const form = new URLSearchParams(body.toString('utf8'));
        const assertion = form.get('assertion') ?? '';
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !verifyAssertion(assertion, options.publicKeyPem)) {
          send(response, { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } });
          return;
        }
        const claims = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
          target_audience?: unknown;
        };
        if (typeof claims.target_audience === 'string') {
          // An ID token for a service URL (https://cloud.google.com/run/docs/authenticating/service-to-service).
          const idToken = `eyJhbGciOiJSUzI1NiJ9.fake-id-${randomUUID()}`;
          idTokens.set(idToken, claims.target_audience);
          send(response, { status: 200, body: { id_token: idToken } });
          return;
        }
        const token = `ya29.fake-${randomUUID()}`;
        issuedTokens.push(token);
        send(response, { status: 200, body: { access_token: token, expires_in: 3599, token_type: 'Bearer' } });
        return;
      }
      requests.push(`${method} ${url.pathname}${url.search}`);
      const authorization = incoming.headers.authorization ?? '';
      const isPublic = options.publicPaths?.test(url.pathname) === true;
      if (!isPublic && !issuedTokens.some((token) => authorization === `Bearer ${token}`) && authorization !== 'Bearer static-test-token') {
        send(
          response,
          googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.'),
        );
        return;
      }
      const request: FakeRequest = {
        method,
        authorization,
        path: url.pathname,
        query: url.searchParams,
        body,
        json: () => (body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as Record<string, unknown>)),
      };
      for (const route of options.routes) {
        const result = await route(request);
        if (result !== undefined) {
          send(response, result);
          return;
        }
      }
      send(response, googleError(404, 'NOT_FOUND', `No route for ${method} ${url.pathname}`));
    })().catch((error: unknown) => send(response, googleError(500, 'INTERNAL', String(error))));
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    tokenURL: `${url}/token`,
    requests,
    issuedTokens,
    idTokens,
    tokenRequests: () => tokenRequests,
    stop: close,
  };
}
