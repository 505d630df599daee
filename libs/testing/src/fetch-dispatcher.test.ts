import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDispatcher } from './fetch-dispatcher';
import { startFaultServer, type FaultServer } from './fault-server';

describe('fetchDispatcher', () => {
  let server: FaultServer;
  const sent: string[] = [];
  const recording: typeof fetch = (input, init) => {
    sent.push(`${init?.method ?? 'GET'} ${new URL(input instanceof Request ? input.url : String(input)).pathname}`);
    return fetch(input, init);
  };

  beforeAll(async () => {
    server = await startFaultServer({
      'POST /echo': (request) => ({ status: 201, body: { got: request.body, type: request.headers['content-type'] } }),
      '/hang': { fault: 'hang' },
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('answers dispatcher.request() (what @switchyard/http calls) through the fetch', async () => {
    const response = await fetchDispatcher(recording).request({
      origin: server.url,
      path: '/echo',
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.statusCode).toBe(201);
    expect(await response.body.json()).toEqual({ got: 'hello', type: 'text/plain' });
    expect(sent.at(-1)).toBe('POST /echo');
  });

  it('answers undici’s fetch (what fetchThrough and SDKs taking a fetch call) through the fetch', async () => {
    const response = await undiciFetch(`${server.url}/echo`, {
      method: 'POST',
      body: 'hi',
      headers: { 'content-type': 'text/plain' },
      dispatcher: fetchDispatcher(recording),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ got: 'hi', type: 'text/plain' });
    expect(sent.at(-1)).toBe('POST /echo');
  });

  it('passes an abort on to the fetch', async () => {
    const controller = new AbortController();
    const pending = fetchDispatcher(recording).request({ origin: server.url, path: '/hang', method: 'GET', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow();
  });
});
