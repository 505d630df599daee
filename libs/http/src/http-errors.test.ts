import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntegrationError } from '@switchyard/core';
import { startFaultServer, type FaultServer } from '@switchyard/testing';
import { createHttpClient, type HttpClient } from './index';
import { errorMessageExcerpt, httpResponseError } from './http-errors';
import { rateLimitStatusFromHeaders, retryAfterMsFromHeaders } from './http-headers';

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  try {
    await promise;
  } catch (error) {
    expect(IntegrationError.isInstance(error)).toBe(true);
    return error as IntegrationError;
  }
  throw new Error('expected the request to fail');
}

describe('the error mapper against a fault-injecting server', () => {
  let server: FaultServer;
  let client: HttpClient;

  beforeAll(async () => {
    server = await startFaultServer({
      '/bad-request': { status: 400, body: { message: 'title is missing' } },
      '/unauthorized': { status: 401, body: { message: 'Bad credentials' } },
      '/forbidden': { status: 403, body: { message: 'Resource not accessible by integration' } },
      '/secondary-limit': { status: 403, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' } },
      '/exhausted': {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' },
        body: { message: 'API rate limit exceeded' },
      },
      '/missing': { status: 404, body: { message: 'Not Found' } },
      '/conflict': { status: 409, body: { error: { message: 'Object already exists' } } },
      '/precondition': { status: 412, body: 'etag mismatch' },
      '/unprocessable': { status: 422, body: { message: 'Validation Failed', errors: [{ message: 'name too long' }] } },
      '/limited': { status: 429, headers: { 'retry-after': '7' }, body: { message: 'slow down' } },
      '/limited-date': { status: 429, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } },
      '/limited-bare': { status: 429, body: 'Too Many Requests' },
      '/maintenance': {
        status: 503,
        headers: { 'retry-after': '5', 'x-ratelimit-reset': '99' },
        body: { message: 'down for maintenance' },
      },
      '/broken': { status: 503, body: '<html><body>Service Unavailable</body></html>' },
      '/internal': { status: 500, body: { error: 'boom' } },
      '/reset': { fault: 'reset' },
      '/reset-body': { status: 200, body: { id: 1 }, fault: 'reset-after-headers' },
      '/hang': { fault: 'hang' },
      '/malformed': { fault: 'malformed-json' },
      '/slow': { delayMs: 300, body: { id: 1 } },
    });
    client = createHttpClient({ baseURL: server.url, allowPrivateNetwork: true, provider: 'acme' });
  });

  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['/bad-request', 400, 'validation', 'title is missing'],
    ['/unauthorized', 401, 'auth', 'Bad credentials'],
    ['/forbidden', 403, 'auth', 'Resource not accessible by integration'],
    ['/missing', 404, 'not_found', 'Not Found'],
    ['/conflict', 409, 'conflict', 'Object already exists'],
    ['/precondition', 412, 'conflict', 'etag mismatch'],
    ['/unprocessable', 422, 'validation', 'Validation Failed'],
    ['/internal', 500, 'provider', 'boom'],
  ] as const)('%s answers %i → %s, quoting the provider', async (path, status, kind, excerpt) => {
    const error = await failure(client.request({ method: 'POST', path, body: { a: 1 } }));
    expect(error.kind).toBe(kind);
    expect(error.statusCode).toBe(status);
    expect(error.provider).toBe('acme');
    expect(error.message).toContain(`POST ${path}`);
    expect(error.message).toContain(excerpt);
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('maps 429 with Retry-After seconds to rate_limit with retryAfterMs', async () => {
    const error = await failure(client.request({ path: '/limited' }));
    expect(error).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: 7_000, isRetryable: true });
  });

  it('reads an HTTP-date Retry-After', async () => {
    const error = await failure(client.request({ path: '/limited-date' }));
    expect(error.kind).toBe('rate_limit');
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('maps 429 without Retry-After to rate_limit with no retryAfterMs', async () => {
    const error = await failure(client.request({ path: '/limited-bare' }));
    expect(error).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: undefined });
  });

  it('treats a 403 secondary rate limit (message only) as rate_limit', async () => {
    const error = await failure(client.request({ path: '/secondary-limit' }));
    expect(error).toMatchObject({ kind: 'rate_limit', statusCode: 403 });
  });

  it('treats a 403 with x-ratelimit-remaining: 0 as rate_limit and reads the reset header', async () => {
    const error = await failure(client.request({ path: '/exhausted' }));
    expect(error).toMatchObject({ kind: 'rate_limit', statusCode: 403, retryAfterMs: 12_000 });
  });

  it('maps 503 to a retryable provider error without quoting HTML', async () => {
    const error = await failure(client.request({ path: '/broken' }));
    expect(error).toMatchObject({ kind: 'provider', statusCode: 503, isRetryable: true });
    expect(error.message).not.toContain('<html>');
  });

  it('keeps an explicit Retry-After on a 503, ignoring reset headers', async () => {
    const error = await failure(client.request({ path: '/maintenance' }));
    expect(error).toMatchObject({ kind: 'provider', statusCode: 503, retryAfterMs: 5_000 });
  });

  it('maps a connection reset to network', async () => {
    const error = await failure(client.request({ path: '/reset' }));
    expect(error.kind).toBe('network');
    expect(error.message).toContain('GET /reset');
  });

  it('maps a reset in the middle of the body to network', async () => {
    const error = await failure(client.request({ path: '/reset-body' }));
    expect(error.kind).toBe('network');
  });

  it('maps a connection refused to network', async () => {
    const closed = await startFaultServer();
    const url = closed.url;
    await closed.close();
    const error = await failure(createHttpClient({ baseURL: url, allowPrivateNetwork: true }).request({ path: '/' }));
    expect(error.kind).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('maps a hanging server to timeout after timeoutMs', async () => {
    const startedAt = Date.now();
    const error = await failure(client.request({ path: '/hang', timeoutMs: 150 }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('GET /hang');
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('maps a caller abort to timeout', async () => {
    const controller = new AbortController();
    const pending = client.request({ path: '/hang', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await failure(pending);
    expect(error.kind).toBe('timeout');
  });

  it('maps an already-aborted signal to timeout without sending', async () => {
    const before = server.requests.length;
    const error = await failure(client.request({ path: '/slow', signal: AbortSignal.abort() }));
    expect(error.kind).toBe('timeout');
    expect(server.requests.length).toBe(before);
  });

  it('times out a slow response, and waits for one within the limit', async () => {
    expect((await failure(client.request({ path: '/slow', timeoutMs: 100 }))).kind).toBe('timeout');
    await expect(client.request({ path: '/slow', timeoutMs: 2_000 })).resolves.toMatchObject({ status: 200, data: { id: 1 } });
  });

  it('maps malformed JSON to provider', async () => {
    const error = await failure(client.request({ path: '/malformed' }));
    expect(error.kind).toBe('provider');
    expect(error.message).toContain('malformed JSON');
  });
});

describe('retryAfterMsFromHeaders', () => {
  const now = Date.parse('2026-11-22T00:00:00Z');

  it('reads seconds, HTTP dates, epoch and relative reset headers', () => {
    expect(retryAfterMsFromHeaders({ 'retry-after': '1.5' }, now)).toBe(1_500);
    expect(retryAfterMsFromHeaders({ 'retry-after': 'Sun, 22 Nov 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterMsFromHeaders({ 'x-ratelimit-reset': String(now / 1000 + 90) }, now)).toBe(90_000);
    expect(retryAfterMsFromHeaders({ 'ratelimit-reset': '20' }, now)).toBe(20_000);
    expect(retryAfterMsFromHeaders({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMsFromHeaders({}, now)).toBeUndefined();
  });

  it('never returns a negative wait', () => {
    expect(retryAfterMsFromHeaders({ 'retry-after': 'Sat, 21 Nov 2026 00:00:00 GMT' }, now)).toBe(0);
  });
});

describe('rateLimitStatusFromHeaders', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads GitHub headers (reset in epoch seconds) and GitLab or IETF ones (reset in seconds from now)', () => {
    expect(
      rateLimitStatusFromHeaders(
        { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(now / 1000 + 3600) },
        now,
      ),
    ).toEqual({
      limit: 5000,
      remaining: 4999,
      resetAt: now + 3_600_000,
    });
    expect(rateLimitStatusFromHeaders({ 'ratelimit-limit': '600', 'ratelimit-remaining': '0', 'ratelimit-reset': '42' }, now)).toEqual({
      limit: 600,
      remaining: 0,
      resetAt: now + 42_000,
    });
  });

  it('gives nothing without both a limit and a remaining count', () => {
    expect(rateLimitStatusFromHeaders({ 'x-ratelimit-remaining': '10' }, now)).toBeUndefined();
    expect(rateLimitStatusFromHeaders({ 'x-ratelimit-limit': 'many', 'x-ratelimit-remaining': '1' }, now)).toBeUndefined();
    expect(rateLimitStatusFromHeaders({}, now)).toBeUndefined();
  });
});

describe('errorMessageExcerpt', () => {
  it('finds the usual message fields and cuts long text', () => {
    expect(errorMessageExcerpt('{"error":"invalid_grant","error_description":"expired"}')).toBe('expired');
    expect(errorMessageExcerpt('{"message":{"title":["can\'t be blank"],"labels":["is invalid","is too long"]}}')).toBe(
      "title can't be blank; labels is invalid, is too long",
    );
    expect(errorMessageExcerpt('{"error":{"code":"ResourceNotFound","message":"The Resource vm-1 was not found."}}')).toBe(
      'ResourceNotFound: The Resource vm-1 was not found.',
    );
    expect(errorMessageExcerpt('{"error":{"code":404,"message":"Function f does not exist","status":"NOT_FOUND"}}')).toBe(
      'NOT_FOUND: Function f does not exist',
    );
    expect(errorMessageExcerpt('{"errors":[{"message":"first"}]}')).toBe('first');
    expect(errorMessageExcerpt('word '.repeat(100))!.length).toBeLessThanOrEqual(201);
    expect(
      errorMessageExcerpt('x'.repeat(500)),
      'a word longer than the excerpt could be a secret: it is not quoted in part',
    ).toBeUndefined();
    expect(errorMessageExcerpt('<html></html>')).toBeUndefined();
  });

  it('keeps tokens in the query string out of the message', () => {
    const error = httpResponseError({ method: 'GET', path: '/items?access_token=abcdef123456&page=2', status: 401, headers: {}, body: '' });
    expect(error.message).not.toContain('abcdef123456');
    expect(error.message).toContain('page=2');
  });
});

describe('transportFailure', () => {
  it('reads a socket code before the name (an SDK calling a reset a TimeoutError), and finds an abort among the causes', async () => {
    const { transportFailure } = await import('./http-errors');
    expect(transportFailure(Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }))).toEqual({
      kind: 'network',
      code: 'ECONNRESET',
    });
    const wrapped = Object.assign(new Error('request failed'), {
      name: 'HttpError',
      cause: new DOMException('deadline passed', 'TimeoutError'),
    });
    expect(transportFailure(wrapped)).toEqual({ kind: 'timeout', code: 'TimeoutError' });
    expect(transportFailure(new Error('a bug'))).toBeUndefined();
  });
});
