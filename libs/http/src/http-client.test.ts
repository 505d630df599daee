import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from 'undici';
import { IntegrationError } from '@switchyard/core';
import { startFaultServer, type FaultServer } from '@switchyard/testing';
import { createHttpClient, isPrivateAddress, type HttpClient } from './index';

describe('createHttpClient', () => {
  let server: FaultServer;
  let client: HttpClient;

  beforeAll(async () => {
    server = await startFaultServer({
      'GET /v1/repos/octo/hello': { body: { id: 7, name: 'hello', extra: { ignored: true } } },
      'POST /v1/echo': (request) => ({ status: 201, body: { contentType: request.headers['content-type'], body: request.body } }),
      '/v1/text': { headers: { 'content-type': 'text/plain' }, body: 'plain words' },
      '/v1/empty': { status: 204 },
      '/v1/wrong-shape': { body: { id: 'seven', name: 'hello' } },
    });
    client = createHttpClient({
      baseURL: `${server.url}/v1/`,
      allowPrivateNetwork: true,
      provider: 'acme',
      headers: { 'X-Team': 'core' },
      userAgent: 'switchyard-test/1.0',
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('parses JSON through the schema, keeping only its fields', async () => {
    const response = await client.request({ path: '/repos/octo/hello', responseSchema: z.object({ id: z.number(), name: z.string() }) });
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ id: 7, name: 'hello' });
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('sends default and per-request headers, lower-cased, and the query string', async () => {
    await client.request({
      path: '/repos/octo/hello',
      query: { page: 2, state: 'open', labels: ['a', 'b c'], skip: undefined },
      headers: { 'X-Request': 'yes' },
    });
    const recorded = server.requests.at(-1)!;
    expect(recorded.path).toBe('/v1/repos/octo/hello?page=2&state=open&labels=a&labels=b%20c');
    expect(recorded.headers['user-agent']).toBe('switchyard-test/1.0');
    expect(recorded.headers['x-team']).toBe('core');
    expect(recorded.headers['x-request']).toBe('yes');
    expect(recorded.headers.accept).toBe('application/json');
  });

  it.each([
    ['JSON', { title: 'hi' }, 'application/json', '{"title":"hi"}'],
    [
      'form',
      new URLSearchParams({ grant_type: 'client_credentials', scope: 'a b' }),
      'application/x-www-form-urlencoded',
      'grant_type=client_credentials&scope=a+b',
    ],
    ['text', 'hello', 'text/plain; charset=utf-8', 'hello'],
    ['bytes', new TextEncoder().encode('raw'), 'application/octet-stream', 'raw'],
  ])('encodes a %s body with its content type', async (_name, body, contentType, sent) => {
    const response = await client.request({ method: 'post', path: '/echo', body });
    expect(response.status).toBe(201);
    expect(response.data).toEqual({ contentType, body: sent });
  });

  it('lets the caller override the content type', async () => {
    const response = await client.request({
      method: 'POST',
      path: '/echo',
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(response.data).toEqual({ contentType: 'application/merge-patch+json', body: '{"a":1}' });
  });

  it('reads text, empty and byte responses', async () => {
    expect((await client.request({ path: '/text' })).data).toBe('plain words');
    expect(await client.request({ path: '/empty' })).toMatchObject({ status: 204, data: undefined });
    const bytes = await client.request({ path: '/text', responseType: 'bytes' });
    expect(new TextDecoder().decode(bytes.data as Uint8Array)).toBe('plain words');
  });

  it('names the mismatching field when the response breaks the schema', async () => {
    const error = await client
      .request({ path: '/wrong-shape', responseSchema: z.object({ id: z.number() }) })
      .catch((caught: unknown) => caught);
    expect(IntegrationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'provider', provider: 'acme', isRetryable: false });
    expect((error as IntegrationError).message).toContain('field "id"');
    expect((error as IntegrationError).message).toContain('GET /v1/wrong-shape');
  });

  it('reuses keep-alive connections for sequential requests, even after errors', async () => {
    const own = await startFaultServer({ '/ok': { body: { ok: true } }, '/missing': { status: 404, body: { message: 'gone' } } });
    try {
      const fresh = createHttpClient({ baseURL: own.url, allowPrivateNetwork: true });
      for (let index = 0; index < 5; index += 1) {
        await fresh.request({ path: '/ok' });
        await fresh.request({ path: '/missing' }).catch(() => undefined);
      }
      expect(own.requests).toHaveLength(10);
      // undici may open a second socket while the first finishes its response; either way 10 requests share at most 2.
      expect(new Set(own.requests.map((request) => request.remotePort)).size).toBeLessThanOrEqual(2);
    } finally {
      await own.close();
    }
  });

  it('uses an injected dispatcher', async () => {
    const dispatcher = new Agent({ connections: 1 });
    let dispatched = 0;
    const counting = dispatcher.compose((dispatch) => (options, handler) => {
      dispatched += 1;
      return dispatch(options, handler);
    });
    const injected = createHttpClient({ baseURL: server.url, dispatcher: counting, allowPrivateNetwork: true });
    await injected.request({ path: '/v1/repos/octo/hello' });
    expect(dispatched).toBe(1);
    await dispatcher.close();
  });
});

describe('errorDetails: a provider reads its own error envelope', () => {
  it('refines kind, message, retryAfterMs and details, and a reader that throws changes nothing', async () => {
    const server = await startFaultServer({
      '/sendMessage': { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } },
      '/flood': {
        status: 429,
        body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } },
      },
    });
    const telegramEnvelope = ({ body }: { body: string }) => {
      const envelope = JSON.parse(body) as { description: string; error_code: number; parameters?: { retry_after?: number } };
      return {
        kind: /not found/.test(envelope.description) ? ('not_found' as const) : undefined,
        message: envelope.description,
        retryAfterMs: envelope.parameters?.retry_after === undefined ? undefined : envelope.parameters.retry_after * 1000,
        details: { errorCode: envelope.error_code },
      };
    };
    try {
      const client = createHttpClient({
        baseURL: server.url,
        allowPrivateNetwork: true,
        provider: 'telegram',
        errorDetails: telegramEnvelope,
      });
      const notFound = (await client
        .request({ method: 'POST', path: '/sendMessage', body: {} })
        .catch((error: unknown) => error)) as IntegrationError;
      expect(notFound).toMatchObject({ kind: 'not_found', statusCode: 400, details: { errorCode: 400 } });
      expect(notFound.message).toContain('Bad Request: chat not found');
      const flood = await client.request({ path: '/flood' }).catch((error: unknown) => error as IntegrationError);
      expect(flood).toMatchObject({ kind: 'rate_limit', retryAfterMs: 7000 });

      const throwing = createHttpClient({
        baseURL: server.url,
        allowPrivateNetwork: true,
        errorDetails: () => {
          throw new Error('unreadable');
        },
      });
      expect(
        await throwing.request({ method: 'POST', path: '/sendMessage', body: {} }).catch((error: unknown) => error as IntegrationError),
      ).toMatchObject({ kind: 'validation' });
    } finally {
      await server.close();
    }
  });
});

describe('the private-network guard', () => {
  it('refuses loopback unless allowPrivateNetwork is set', async () => {
    const server = await startFaultServer({ '/': { body: { ok: true } } });
    try {
      const guarded = createHttpClient({ baseURL: server.url, provider: 'acme' });
      const error = await guarded.request({ path: '/' }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'validation', isRetryable: false });
      expect((error as Error).message).toContain('allowPrivateNetwork');
      expect(server.requests).toHaveLength(0);
      const localhost = createHttpClient({ baseURL: `http://localhost:${server.port}` });
      await expect(localhost.request({ path: '/' })).rejects.toMatchObject({ kind: 'validation' });
      const allowed = createHttpClient({ baseURL: server.url, allowPrivateNetwork: true });
      await expect(allowed.request({ path: '/' })).resolves.toMatchObject({ data: { ok: true } });
    } finally {
      await server.close();
    }
  });

  it('knows the private ranges', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['140.82.112.3', '8.8.8.8', '2606:4700::1111', '172.32.0.1'])
      expect(isPrivateAddress(address), address).toBe(false);
  });
});
