import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTestKit } from '../testing/test-kit';
import { handleApi, type ApiRequest, type ApiResult } from './gitlab-fake-routes';
import { fixture, seedState, type FakeState } from './gitlab-fake-data';

/** Options of {@link startGitlabFake}. */
export interface GitlabFakeOptions {
  /** The personal access token accepted in `PRIVATE-TOKEN`. Default `glpat-fake-token`. */
  readonly token?: string;
  /** OAuth2 access tokens accepted as `Authorization: Bearer`. Default none. */
  readonly accessTokens?: readonly string[];
  /** An OAuth application whose refresh token `/oauth/token` exchanges. Default none. */
  readonly oauth?: { readonly clientId: string; readonly clientSecret: string; readonly refreshToken: string };
  /** `RateLimit-Limit`, and the starting `RateLimit-Remaining` (each API request uses one). Default 2000 / 2000. */
  readonly rateLimit?: { readonly limit: number; readonly remaining?: number };
}

/** A running fake GitLab instance. */
export interface GitlabFake {
  /** `http://127.0.0.1:<port>`: the instance URL (the API is under `/api/v4`). */
  readonly url: string;
  readonly state: FakeState;
  /** Every request: method, path with query, the auth it carried and the raw body. */
  readonly requests: { method: string; path: string; auth: string | undefined; body: string }[];
  /** OAuth2 access tokens currently accepted; clear it to make issued tokens expire. */
  readonly accessTokens: Set<string>;
  /** Sets `RateLimit-Remaining` for the next responses. */
  setRemaining(remaining: number): void;
  close(): Promise<void>;
}

const unauthorized = fixture('errors.json').unauthorized;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Form or JSON body parameters, as GitLab's Grape API accepts either. */
function parseParameters(body: string, contentType: string | undefined): Record<string, unknown> {
  if (body === '') return {};
  if (contentType?.includes('application/x-www-form-urlencoded') === true) return Object.fromEntries(new URLSearchParams(body));
  return JSON.parse(body) as Record<string, unknown>;
}

/**
 * Starts a wire-protocol fake of GitLab's REST v4 API on 127.0.0.1 (a free
 * port), written from the official reference: `PRIVATE-TOKEN` or Bearer auth
 * (401 `{"message":"401 Unauthorized"}`), required parameters (400
 * `{"error":"title is missing"}`), offset pagination headers (`X-Page`,
 * `X-Per-Page`, `X-Next-Page`, `X-Total`, `Link`), `RateLimit-*` headers, and
 * an OAuth token endpoint. Seeded from the documented example responses.
 */
export async function startGitlabFake(options: GitlabFakeOptions = {}): Promise<GitlabFake> {
  const token = options.token ?? 'glpat-fake-token';
  const accessTokens = new Set(options.accessTokens ?? []);
  const limit = options.rateLimit?.limit ?? 2000;
  let remaining = options.rateLimit?.remaining ?? limit;
  let issued = 0;
  const state = seedState();
  const requests: GitlabFake['requests'] = [];

  function send(response: ServerResponse, result: ApiResult): void {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'ratelimit-limit': String(limit),
      'ratelimit-remaining': String(remaining),
      'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 60),
      ...result.headers,
    };
    response.writeHead(result.status, headers);
    response.end(result.body === undefined ? '' : JSON.stringify(result.body));
  }

  function tokenEndpoint(parameters: Record<string, unknown>): ApiResult {
    const oauth = options.oauth;
    if (oauth === undefined || parameters.client_id !== oauth.clientId || parameters.client_secret !== oauth.clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client.' } };
    }
    if (parameters.grant_type !== 'refresh_token' || parameters.refresh_token !== oauth.refreshToken) {
      return {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid, expired, revoked.' },
      };
    }
    issued += 1;
    const accessToken = `fake-oauth-access-${issued}`;
    accessTokens.add(accessToken);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: 7200,
        refresh_token: oauth.refreshToken,
        created_at: Math.floor(Date.now() / 1000),
      },
    };
  }

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const authorization = request.headers.authorization;
      const privateToken = request.headers['private-token'];
      const raw = await readBody(request);
      requests.push({
        method: request.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        auth: typeof privateToken === 'string' ? 'private-token' : authorization,
        body: raw,
      });
      let parameters: Record<string, unknown>;
      try {
        parameters = parseParameters(raw, request.headers['content-type']);
      } catch {
        send(response, { status: 400, body: { error: 'The request body is not valid JSON' } });
        return;
      }
      if (url.pathname === '/oauth/token' && request.method === 'POST') {
        send(response, tokenEndpoint(parameters));
        return;
      }
      if (!url.pathname.startsWith('/api/v4/')) {
        send(response, { status: 404, body: { message: '404 Not Found' } });
        return;
      }
      const bearer = authorization?.startsWith('Bearer ') === true ? authorization.slice(7) : undefined;
      if (privateToken !== token && (bearer === undefined || !accessTokens.has(bearer))) {
        send(response, { status: 401, body: unauthorized });
        return;
      }
      remaining = Math.max(0, remaining - 1);
      const segments = url.pathname
        .slice('/api/v4/'.length)
        .split('/')
        .map((segment) => decodeURIComponent(segment));
      const apiRequest: ApiRequest = {
        method: request.method ?? 'GET',
        segments,
        query: url.searchParams,
        parameters,
        baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      };
      send(response, handleApi(state, apiRequest));
    })().catch((error: unknown) => {
      send(response, { status: 500, body: { message: `500 Internal Server Error: ${String(error)}` } });
    });
  });
  const { listenOnLoopback } = await loadTestKit();
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    state,
    requests,
    accessTokens,
    setRemaining(value) {
      remaining = value;
    },
    close,
  };
}
