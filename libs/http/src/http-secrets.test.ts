import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IntegrationError } from '@switchyard/core';
import { startFaultServer, type FaultServer } from '@switchyard/testing';
import { apiKeyAuth, bearerAuth, createHttpClient, type HttpClient } from './index';

const BEARER = 'planted-bearer-9f8e7d6c5b4a';
const API_KEY = 'planted-apikey-1a2b3c4d5e6f';

/** Every way an error gets printed or shipped. */
function renderings(error: IntegrationError): string[] {
  return [
    error.message,
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    String(error.stack),
    JSON.stringify(error.cause ?? null),
    inspect(error.cause, { depth: 10 }),
  ];
}

describe('secrets never reach errors', () => {
  let server: FaultServer;
  let clients: HttpClient[];

  beforeAll(async () => {
    server = await startFaultServer({
      '/unauthorized': (request) => ({
        status: 401,
        body: { message: `token ${String(request.headers.authorization)} is invalid, key=${request.query.get('api_key')}` },
      }),
      '/limited': { status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down' } },
      '/reset': { fault: 'reset' },
      '/hang': { fault: 'hang' },
      '/malformed': { fault: 'malformed-json' },
      '/shape': { body: { id: 'not a number' } },
      '/echo-key': (request) => ({ status: 400, body: `bad request ${request.path}` }),
    });
    clients = [
      createHttpClient({ baseURL: server.url, allowPrivateNetwork: true, provider: 'acme', auth: bearerAuth({ getToken: () => BEARER }) }),
      createHttpClient({
        baseURL: server.url,
        allowPrivateNetwork: true,
        provider: 'acme',
        auth: apiKeyAuth({ in: 'query', name: 'api_key', value: API_KEY }),
      }),
    ];
  });

  afterAll(async () => {
    await server.close();
  });

  it.each(['/unauthorized', '/limited', '/reset', '/hang', '/malformed', '/shape', '/echo-key'])(
    '%s: no planted secret in message, JSON, inspect or cause',
    async (path) => {
      for (const client of clients) {
        const error = await client
          .request({ path, timeoutMs: 200, responseSchema: z.object({ id: z.number() }) })
          .catch((caught: unknown) => caught);
        expect(IntegrationError.isInstance(error)).toBe(true);
        for (const text of renderings(error as IntegrationError)) {
          expect(text).not.toContain(BEARER);
          expect(text).not.toContain(API_KEY);
        }
      }
      // The secrets did reach the server: the test would notice if they were not sent at all.
      expect(server.requests.some((request) => request.headers.authorization === `Bearer ${BEARER}`)).toBe(true);
      expect(server.requests.some((request) => request.query.get('api_key') === API_KEY)).toBe(true);
    },
  );
});
