import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IntegrationError, SecretSet } from '@switchyard/core';
import { integrationErrorOf, startFaultServer, type FaultServer } from '@switchyard/testing';
import { apiKeyAuth, bearerAuth, createHttpClient, createProviderErrors, signedRequestAuth, type HttpClient } from './index';

const BEARER = 'planted-bearer-9f8e7d6c5b4a';
const API_KEY = 'planted-apikey-1a2b3c4d5e6f';
/** Sent by a strategy that keeps nothing in the client's secrets: only the request's own redaction hides it. */
const SIGNATURE = 'planted-signature-0a1b2c3d4e';
const PLANTED = [BEARER, API_KEY, SIGNATURE];

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
      createHttpClient({
        baseURL: server.url,
        allowPrivateNetwork: true,
        provider: 'acme',
        auth: signedRequestAuth(() => ({ headers: { authorization: `Custom ${SIGNATURE}` } })),
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
          for (const secret of PLANTED) expect(text).not.toContain(secret);
        }
      }
      // The secrets did reach the server: the test would notice if they were not sent at all.
      expect(server.requests.some((request) => request.headers.authorization === `Bearer ${BEARER}`)).toBe(true);
      expect(server.requests.some((request) => request.query.get('api_key') === API_KEY)).toBe(true);
      expect(server.requests.some((request) => request.headers.authorization === `Custom ${SIGNATURE}`)).toBe(true);
    },
  );

  it('keeps the secrets in the client’s own set, or in the one it is given', () => {
    expect(clients[0]!.secrets).not.toBe(clients[1]!.secrets);
    const secrets = new SecretSet();
    expect(createHttpClient({ baseURL: server.url, secrets }).secrets).toBe(secrets);
  });
});

describe('createProviderErrors', () => {
  const SECRET = 'planted-provider-secret-5e6f';

  it('redacts the provider’s secrets from every error it creates', () => {
    const secrets = new SecretSet();
    secrets.add(SECRET);
    const errors = createProviderErrors('acme', { secrets });
    const built = [
      errors.create({ kind: 'auth', message: `key ${SECRET} refused`, details: { echoed: SECRET } }),
      errors.invalidInput('crm.getContact', `id ${SECRET} is not a contact id`),
      errors.fromStatus({ operation: 'crm.getContact', status: 401, message: `bad key ${SECRET}`, cause: new Error(`sent ${SECRET}`) }),
      errors.fromFailure(Object.assign(new Error(`socket closed for ${SECRET}`), { code: 'ECONNRESET' }), 'crm.getContact'),
    ];
    expect(built.map((error) => error.kind)).toEqual(['auth', 'validation', 'auth', 'network']);
    for (const error of built) {
      expect(error.provider).toBe('acme');
      for (const text of renderings(error)) expect(text).not.toContain(SECRET);
    }
    // Without a set only core's generic patterns apply: the factory redacts with what it is given, nothing else.
    expect(createProviderErrors('acme').create({ kind: 'auth', message: `key ${SECRET}` }).message).toContain(SECRET);
  });
});

describe('a secret straddling the excerpt cut', () => {
  // A GitLab-shaped token of 26 characters that no pattern knows: the case was a 181-character body before it.
  const TOKEN = 'zq-planted-9c1e7b5a3d0f2e4';
  const filler = (length: number) => 'the token you sent was refused by the server '.repeat(8).slice(0, length);
  const runsOf = (text: string) =>
    Array.from({ length: TOKEN.length - 7 }, (_, start) => TOKEN.slice(start, start + 8)).filter((run) => text.includes(run));
  let server: FaultServer;

  beforeAll(async () => {
    server = await startFaultServer({
      '/refused': (request) => ({ status: 401, body: { message: `${filler(Number(request.query.get('at')))}${TOKEN} was refused` } }),
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('shows no 8-character run of the request’s token in any rendering, whatever the offset', async () => {
    const client = createHttpClient({
      baseURL: server.url,
      allowPrivateNetwork: true,
      provider: 'acme',
      auth: bearerAuth({ token: TOKEN }),
    });
    for (let at = 150; at <= 230; at += 1) {
      const error = await integrationErrorOf(client.request({ path: '/refused', query: { at } }));
      expect(error.kind).toBe('auth');
      for (const text of renderings(error)) expect(runsOf(text), `${at}: ${error.message}`).toEqual([]);
    }
  });

  it('shows none in what a provider’s error factory quotes from an SDK either', () => {
    const secrets = new SecretSet();
    secrets.add(TOKEN);
    const errors = createProviderErrors('acme', { secrets });
    for (let at = 150; at <= 230; at += 1) {
      const message = `${filler(at)}${TOKEN} was refused`;
      for (const error of [
        errors.fromStatus({ operation: 'crm.getContact', status: 401, message, cause: new Error(message) }),
        errors.fromFailure(new Error(message), 'crm.getContact'),
      ]) {
        for (const text of renderings(error)) expect(runsOf(text), `${at}: ${error.message}`).toEqual([]);
      }
    }
  });
});
