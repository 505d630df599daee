import { IntegrationError, redactIntegrationError, redactText, SecretSet, withDeadline, type RedactionSecrets } from '@switchyard/core';
import type { Dispatcher } from 'undici';
import type { AuthResult, AuthStrategy } from './auth/auth-strategy';
import { appendQuery, encodeBody, type QueryParameters } from './http-body';
import {
  httpFailureError,
  httpResponseError,
  type HttpErrorContext,
  type HttpErrorDetails,
  type HttpErrorDetailsReader,
} from './http-errors';
import type { HttpResponseHeaders } from './http-headers';
import { defaultPool } from './http-pool';
import { assertPublicHost } from '@switchyard/core';
import { responseSchemaError, type ResponseSchema } from './response-schema';
import { VERSION } from './version';

/** How the response body is read. */
export type ResponseType = 'json' | 'text' | 'bytes' | 'none';

/** Settings of {@link createHttpClient}. Only `baseURL` is required. */
export interface HttpClientSettings {
  /** Origin and base path every request path is appended to, e.g. `https://api.github.com`. */
  readonly baseURL: string;
  /**
   * The undici dispatcher requests go through (a `Pool`, `Agent`, `MockAgent`, ...).
   * Default: one shared keep-alive `Pool` per origin, created on first request.
   */
  readonly dispatcher?: Dispatcher | undefined;
  /** Headers sent with every request. Default: `accept: application/json` and the user agent. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** How requests authenticate (see `bearerAuth`, `apiKeyAuth`, ...). Default: none. */
  readonly auth?: AuthStrategy | undefined;
  /**
   * Allow loopback, private and link-local addresses. Default `false`: the
   * host is resolved with `node:dns` and such addresses are refused (SSRF
   * guard), and the default pool re-checks every address it connects to.
   */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Provider id recorded on every error. Default: none. */
  readonly provider?: string | undefined;
  /**
   * The secrets this client knows: its auth strategy keeps the values it
   * sends here, and every error the client builds is redacted with them (and
   * with the request's own auth headers and query values, as Octokit's
   * request error redacts its request's headers). Pass the provider's set,
   * which its hub also redacts with. Default: a new set for this client.
   */
  readonly secrets?: SecretSet | undefined;
  /** The `user-agent` header. Default `switchyard-http/<version>`. */
  readonly userAgent?: string | undefined;
  /** Per-request time limit in ms when a request sets none. Default: none (the hub's deadline applies through `signal`). */
  readonly timeoutMs?: number | undefined;
  /**
   * Reads the provider's own error envelope from an error response (status
   * ≥ 400), to refine the shared classification: its message, a kind the
   * status alone does not give, `retryAfterMs` from the body, error codes
   * for `details`. Default: none (status, headers and the usual JSON
   * message fields decide). A reader that throws is ignored.
   *
   * @example
   * ```ts
   * // Telegram: { ok: false, error_code: 429, description: "Too Many Requests", parameters: { retry_after: 5 } }
   * errorDetails: ({ body }) => {
   *   const envelope = JSON.parse(body);
   *   return { message: envelope.description, retryAfterMs: envelope.parameters?.retry_after * 1000 };
   * },
   * ```
   */
  readonly errorDetails?: HttpErrorDetailsReader | undefined;
}

/** One request. Only `path` is required. */
export interface HttpRequestOptions<T = unknown> {
  /** Default `GET`. */
  readonly method?: string | undefined;
  /** Path below the base URL, starting with `/`; may already hold a query string. */
  readonly path: string;
  /** Query parameters to append. */
  readonly query?: QueryParameters | undefined;
  /** Extra headers; `undefined` values are left out. Never copied into errors. */
  readonly headers?: Readonly<Record<string, string | undefined>> | undefined;
  /** A string (text), `Uint8Array` (bytes), `URLSearchParams` (form) or any other value (JSON). */
  readonly body?: unknown;
  /** Parses the JSON response; a mismatch is a `provider` error naming the field. */
  readonly responseSchema?: ResponseSchema<T> | undefined;
  /** Default: `json` with a schema or a JSON content type, else `text`; no body is read for 204, 304 and HEAD. */
  readonly responseType?: ResponseType | undefined;
  /** Aborts the request; the error is a `timeout` IntegrationError. */
  readonly signal?: AbortSignal | undefined;
  /** Time limit for the whole request, body included, in ms. Default: the client's `timeoutMs`. */
  readonly timeoutMs?: number | undefined;
}

/** A successful (status < 400) response. */
export interface HttpResponse<T = unknown> {
  readonly status: number;
  /** Lower-case header names, as undici gives them. */
  readonly headers: HttpResponseHeaders;
  /** The parsed body: the schema's output, parsed JSON, text, bytes, or `undefined`. */
  readonly data: T;
}

/** What {@link createHttpClient} returns. */
export interface HttpClient {
  /** The base URL the client was created with. */
  readonly baseURL: string;
  /** The provider id recorded on errors. */
  readonly provider: string | undefined;
  /** The set errors are redacted with and auth strategies keep their values in (`HttpClientSettings.secrets`). */
  readonly secrets: SecretSet;
  /**
   * Sends one request. Resolves for statuses below 400; rejects with an
   * `IntegrationError` classified by `httpResponseError` / `httpFailureError`.
   * Never retries: the router does.
   */
  request<T = unknown>(options: HttpRequestOptions<T>): Promise<HttpResponse<T>>;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** A request in flight: where it goes, for error messages, and what auth added, to redact from its errors. */
interface RequestContext extends HttpErrorContext {
  auth: AuthResult | undefined;
}

/** Error bodies larger than this (by `content-length`) are not read for a message excerpt. */
const MAXIMUM_ERROR_BODY_BYTES = 65_536;

function lowerCaseHeaders(headers: Readonly<Record<string, string | undefined>> | undefined, into: Record<string, string>): void {
  if (headers === undefined) return;
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) into[name.toLowerCase()] = value;
  }
}

/**
 * Creates the HTTP client providers without an official SDK use: undici
 * underneath (imported on the process's first request, not with this
 * package), auth applied per request, one error mapper, zod response
 * schemas, an SSRF guard, and no retries (the hub's router retries).
 *
 * @example
 * ```ts
 * const client = createHttpClient({ baseURL: 'https://api.github.com', provider: 'github', auth: bearerAuth({ token }) });
 * const { data } = await client.request({ path: '/repos/octo/hello', responseSchema: z.object({ id: z.number() }), signal: context.signal });
 * ```
 */
export function createHttpClient(settings: HttpClientSettings): HttpClient {
  const url = new URL(settings.baseURL);
  const origin = url.origin;
  const basePath = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  const provider = settings.provider;
  const auth = settings.auth;
  const secrets = settings.secrets ?? new SecretSet();
  const allowPrivateNetwork = settings.allowPrivateNetwork === true;
  const defaultTimeoutMs = settings.timeoutMs;
  const baseHeaders: Record<string, string> = {
    accept: 'application/json',
    'user-agent': settings.userAgent ?? `switchyard-http/${VERSION}`,
  };
  lowerCaseHeaders(settings.headers, baseHeaders);
  Object.freeze(baseHeaders);
  let dispatcher = settings.dispatcher;
  let hostChecked = allowPrivateNetwork;
  let hostCheck: Promise<void> | undefined;
  // The last auth headers and base headers merged with them: static credentials reuse one object.
  let lastAuthHeaders: Readonly<Record<string, string>> | undefined;
  let lastMergedHeaders: Readonly<Record<string, string>> = baseHeaders;

  function checkHost(): Promise<void> {
    hostCheck ??= assertPublicHost(url.hostname, provider).then(
      () => {
        hostChecked = true;
      },
      (error: unknown) => {
        hostCheck = undefined;
        throw error;
      },
    );
    return hostCheck;
  }

  async function send<T>(
    options: HttpRequestOptions<T>,
    context: RequestContext,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse<T>> {
    if (!hostChecked) await checkHost();
    const method = context.method;
    const encoded = encodeBody(options.body);
    let headers: Readonly<Record<string, string>> = baseHeaders;
    if (options.headers !== undefined || encoded.contentType !== undefined) {
      const merged: Record<string, string> = { ...baseHeaders };
      if (encoded.contentType !== undefined) merged['content-type'] = encoded.contentType;
      lowerCaseHeaders(options.headers, merged);
      headers = merged;
    }
    let path = context.path;
    if (auth !== undefined) {
      const applied = auth.apply({ method, origin, path, headers, body: encoded.body, secrets });
      const result: AuthResult = applied instanceof Promise ? await applied : applied;
      context.auth = result;
      const authHeaders = result.headers ?? NO_HEADERS;
      if (headers === baseHeaders) {
        if (authHeaders !== lastAuthHeaders) {
          lastMergedHeaders = { ...baseHeaders, ...authHeaders };
          lastAuthHeaders = authHeaders;
        }
        headers = lastMergedHeaders;
      } else {
        headers = { ...headers, ...authHeaders };
      }
      path = appendQuery(path, result.query);
    }
    if (dispatcher === undefined) {
      // Only a client's first request gets here; only the first request of the process waits for undici to load.
      const pool = defaultPool(origin, allowPrivateNetwork);
      dispatcher = pool instanceof Promise ? await pool : pool;
    }
    const response = await dispatcher.request({
      origin,
      path,
      method,
      headers,
      body: encoded.body,
      signal,
    });
    const status = response.statusCode;
    const body = response.body;
    if (status >= 400) {
      let text = '';
      try {
        // Only a short excerpt is kept: a large error page is discarded unread.
        if (Number(response.headers['content-length'] ?? 0) > MAXIMUM_ERROR_BODY_BYTES) await body.dump();
        else text = await body.text();
      } catch {
        // The status is what matters; a body cut short only loses the excerpt.
      }
      let refinement: HttpErrorDetails | undefined;
      try {
        refinement = settings.errorDetails?.({ status, headers: response.headers, body: text });
      } catch {
        // A reader that cannot read this body leaves the default classification.
      }
      throw httpResponseError(
        { method, path: context.path, provider, status, headers: response.headers, body: text, secrets: redactionOf(context) },
        refinement,
      );
    }
    const responseType = options.responseType ?? (options.responseSchema !== undefined || isJson(response.headers) ? 'json' : 'text');
    if (responseType === 'none' || status === 204 || status === 304 || method === 'HEAD' || (status >= 100 && status < 200)) {
      await body.dump();
      return { status, headers: response.headers, data: undefined as T };
    }
    if (responseType === 'text') return { status, headers: response.headers, data: (await body.text()) as T };
    if (responseType === 'bytes') return { status, headers: response.headers, data: new Uint8Array(await body.arrayBuffer()) as T };
    const json: unknown = await body.json();
    if (options.responseSchema === undefined) return { status, headers: response.headers, data: json as T };
    const parsed = options.responseSchema.safeParse(json);
    if (!parsed.success) throw responseSchemaError({ provider, operation: `${method} ${redactText(context.path)}` }, parsed.error.issues);
    return { status, headers: response.headers, data: parsed.data };
  }

  async function request<T>(options: HttpRequestOptions<T>): Promise<HttpResponse<T>> {
    const method = options.method === undefined ? 'GET' : options.method.toUpperCase();
    const context: RequestContext = { method, path: appendQuery(basePath + options.path, options.query), provider, auth: undefined };
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const signal = options.signal;
    try {
      // Without a time limit, the caller's signal goes straight to undici: no controller, no timer.
      if (timeoutMs === undefined) return await send(options, context, signal);
      return await withDeadline((scope) => send(options, context, scope.signal), {
        deadline: Date.now() + timeoutMs,
        signal,
        provider,
      });
    } catch (error) {
      let failure: IntegrationError;
      if (
        signal?.aborted === true ||
        (timeoutMs !== undefined && IntegrationError.isInstance(error) && error.kind === 'timeout' && error.statusCode === undefined)
      ) {
        const prefix = provider === undefined ? '' : `${provider}: `;
        const reason = signal?.aborted === true ? 'was aborted' : `did not finish within ${timeoutMs} ms`;
        failure = new IntegrationError({
          kind: 'timeout',
          message: `${prefix}${method} ${context.path} ${reason}`,
          provider,
          cause: error,
        });
      } else {
        failure = httpFailureError(error, context);
      }
      throw redactIntegrationError(failure, redactionOf(context));
    }
  }

  /** What this request's errors are redacted with: the client's set, and what its auth added. */
  function redactionOf(context: RequestContext): RedactionSecrets {
    return context.auth === undefined ? secrets : [secrets, requestSecrets(context.auth)];
  }

  return { baseURL: settings.baseURL, provider, secrets, request };
}

/**
 * The values one request's auth added, as a set: each header value, the
 * credential after its scheme word (`Bearer <token>`), and each query value.
 * A strategy that keeps nothing in the client's set, or a token another
 * request has since replaced, is still redacted from this request's errors.
 */
function requestSecrets(auth: AuthResult): SecretSet {
  const own = new SecretSet();
  for (const value of Object.values(auth.headers ?? NO_HEADERS)) {
    own.add(value);
    own.add(value.slice(value.indexOf(' ') + 1));
  }
  for (const value of Object.values(auth.query ?? NO_HEADERS)) own.add(value);
  return own;
}

function isJson(headers: HttpResponseHeaders): boolean {
  const contentType = headers['content-type'];
  return typeof contentType === 'string' && contentType.includes('json');
}
