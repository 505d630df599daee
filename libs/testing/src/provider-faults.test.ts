import { createHmac } from 'node:crypto';
import { defineProvider, IntegrationError, redactText, SecretSet, type ErrorKind } from '@switchyard/core';
import { storageV1 } from '@switchyard/core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from './fault-server';
import { providerFaultCases, type ProviderFaultCase } from './provider-faults';

const SECRET = 'planted-secret-4b7e91c2d0';

/** How a deliberately wrong provider misbehaves. */
interface Flaws {
  readonly kindFor503?: ErrorKind;
  readonly leaksSecret?: boolean;
  readonly retriesOnce?: boolean;
  /** Cuts the quoted body at 200 characters before redacting it, as `errorMessageExcerpt` once did. */
  readonly cutsBeforeRedacting?: boolean;
  /** Signs requests (`Signature=` in Authorization) without keeping the signature where redaction finds it. */
  readonly signsWithoutRedacting?: boolean;
}

/** A small storage provider on fetch, classifying as the shared table does unless told to get it wrong. */
function createProbe(baseURL: string, flaws: Flaws = {}) {
  const secrets = new SecretSet();
  secrets.add(SECRET);
  const authorization = (url: string) =>
    flaws.signsWithoutRedacting === true
      ? `PROBE-HMAC Credential=probe, Signature=${createHmac('sha256', SECRET).update(url).digest('hex')}`
      : `Bearer ${SECRET}`;
  /** The service's own message from a JSON error body, redacted with the provider's secrets (or, when flawed, cut first). */
  const quote = async (response: Response) => {
    const message = ((await response.json().catch(() => ({}))) as { message?: unknown }).message;
    if (typeof message !== 'string') return '';
    return `: ${redactText(flaws.cutsBeforeRedacting === true ? message.slice(0, 200) : message, secrets)}`;
  };
  const kindOf = (status: number): ErrorKind =>
    status === 503 && flaws.kindFor503 !== undefined
      ? flaws.kindFor503
      : status === 401
        ? 'auth'
        : status === 404
          ? 'not_found'
          : status === 429
            ? 'rate_limit'
            : 'provider';
  const headObject = async (input: { bucket: string; key: string }, { signal }: { signal: AbortSignal }) => {
    const url = `${baseURL}/${input.bucket}/${input.key}`;
    let response: Response;
    try {
      const headers = { authorization: authorization(url) };
      response = await fetch(url, { signal, headers });
      if (flaws.retriesOnce === true && response.status >= 500) response = await fetch(url, { signal, headers });
    } catch (error) {
      const timeout = (error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError';
      throw new IntegrationError({
        kind: timeout ? 'timeout' : 'network',
        message: `probe: ${(error as Error).message}`,
        provider: 'probe',
        cause: error,
      });
    }
    if (response.status >= 400) {
      const wait = response.headers.get('retry-after');
      const seconds = Number(wait);
      throw new IntegrationError({
        kind: kindOf(response.status),
        message: `probe: ${response.status}${flaws.leaksSecret === true ? ` with key ${SECRET.slice(2, 14)}` : ''}${await quote(response)}`,
        provider: 'probe',
        statusCode: response.status,
        retryAfterMs: wait === null ? undefined : Number.isFinite(seconds) ? seconds * 1000 : Date.parse(wait) - Date.now(),
      });
    }
    try {
      return (await response.json()) as never;
    } catch (error) {
      throw new IntegrationError({ kind: 'provider', message: 'probe: malformed body', provider: 'probe', cause: error });
    }
  };
  return defineProvider({
    id: 'probe',
    name: 'Probe',
    category: 'cloud',
    docsUrl: 'https://example.com/probe',
    authKinds: ['api-key'],
    capabilities: [{ contract: storageV1, handlers: { headObject } }],
    secrets,
  });
}

describe('the fault suite can fail', () => {
  let server: FaultServer;

  beforeAll(async () => {
    server = await startFaultServer();
  });

  afterAll(async () => {
    await server.close();
  });

  const caseFor = (name: ProviderFaultCase, flaws?: Flaws) =>
    providerFaultCases({
      provider: 'probe',
      create: (baseURL) => createProbe(baseURL, flaws),
      request: { capability: 'storage', operation: 'headObject', input: { bucket: 'bucket', key: 'a.txt' } },
      route: 'GET /bucket/a.txt',
      secrets: [SECRET],
    }).find((fault) => fault.name === name)!;

  it('passes a provider that answers as the shared table says', async () => {
    for (const name of [
      'unavailable',
      'unauthorized',
      'not-found',
      'rate-limit-retry-after-seconds',
      'connection-reset',
      'deadline',
      'secret-at-excerpt-cut',
      'echoed-credentials',
    ] as const) {
      await caseFor(name).run(server);
    }
  }, 300_000);

  it('fails a provider that calls a 503 something else', async () => {
    await expect(caseFor('unavailable', { kindFor503: 'validation' }).run(server)).rejects.toThrow(/validation/);
  });

  it('fails a provider that retries underneath the router', async () => {
    await expect(caseFor('server-error', { retriesOnce: true }).run(server)).rejects.toThrow(/one request/);
  });

  it('fails a provider whose error shows part of a planted secret', async () => {
    await expect(caseFor('unauthorized', { leaksSecret: true }).run(server)).rejects.toThrow(/planted secret/);
  });

  it('fails a provider that cuts a service’s message before redacting it', async () => {
    await expect(caseFor('secret-at-excerpt-cut', { cutsBeforeRedacting: true }).run(server)).rejects.toThrow(/planted secret/);
  }, 300_000);

  it('fails a provider whose error quotes a signature it sent, echoed by the service', async () => {
    await expect(caseFor('echoed-credentials', { signsWithoutRedacting: true }).run(server)).rejects.toThrow(/planted secret/);
  }, 300_000);
});
