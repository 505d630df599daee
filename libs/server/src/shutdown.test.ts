import { setTimeout as sleep } from 'node:timers/promises';
import { createHub, type ProviderV1 } from '@switchyard/core';
import { createMemoryStorageProvider } from '@switchyard/core/testing';
import { createApiKeys, createMemoryStore } from '@switchyard/platform';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createServer } from './index';

/** A storage provider that answers after `delayMs`, so requests are in flight when the server closes. */
function slowStorage(delayMs: number): ProviderV1 {
  const base = createMemoryStorageProvider({ id: 'slow', buckets: ['reports'] });
  return { ...base, execute: async (call, context) => (await sleep(delayMs), base.execute(call, context)) };
}

describe('close() under load', () => {
  it('answers every request it accepted: 32 callers, close() while requests are in flight, 0 failed among those the server received', async () => {
    const store = createMemoryStore();
    const hub = createHub({ providers: [slowStorage(15)] });
    const { key } = await createApiKeys(store).issue({ name: 'load', scopes: ['execute'] });
    const server = createServer({ hub, platform: { store }, rateLimit: false });
    let received = 0;
    const answered = new Map<number, number>();
    server.app.addHook('onRequest', (_request, _reply, done) => {
      received += 1;
      done();
    });
    server.app.addHook('onResponse', (_request, reply, done) => {
      answered.set(reply.statusCode, (answered.get(reply.statusCode) ?? 0) + 1);
      done();
    });
    const url = await server.listen();
    const agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 });
    const body = JSON.stringify({ capability: 'storage', operation: 'headObject', input: { bucket: 'reports', key: 'missing.txt' } });
    const client = { ok: 0, refused: 0, otherStatus: new Map<number, number>(), errors: new Map<string, number>() };
    let stopping = false;

    /** Calls until the server refuses (503 or a closed connection) after close() began, or 10 000 times. */
    const caller = async () => {
      for (let index = 0; index < 10_000; index += 1) {
        try {
          const response = await request(`${url}/api/v1/execute`, {
            method: 'POST',
            dispatcher: agent,
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body,
          });
          await response.body.text();
          // headObject of a missing key is a routed 404: the request completed end to end.
          if (response.statusCode === 404) client.ok += 1;
          else if (response.statusCode === 503) client.refused += 1;
          else client.otherStatus.set(response.statusCode, (client.otherStatus.get(response.statusCode) ?? 0) + 1);
          if (response.statusCode !== 404 && !stopping) return;
          if (response.statusCode === 503) return;
        } catch (error) {
          const code = (error as { code?: string }).code ?? (error as Error).name;
          client.errors.set(code, (client.errors.get(code) ?? 0) + 1);
          return;
        }
      }
    };
    const callers = Array.from({ length: 32 }, caller);
    // Let the load build up (bounded by count, not by a timer the test depends on), then close.
    for (let waited = 0; waited < 200 && client.ok < 300; waited += 1) await sleep(25);
    stopping = true;
    const closed = server.close();
    await Promise.all(callers);
    await closed;
    await agent.close();
    await hub.close();
    await store.close();

    const answeredTotal = [...answered.values()].reduce((sum, count) => sum + count, 0);
    const report = JSON.stringify({
      ...client,
      otherStatus: [...client.otherStatus],
      errors: [...client.errors],
      received,
      answered: [...answered],
    });
    expect(client.ok, report).toBeGreaterThan(0);
    // Every request the server received (its onRequest ran) was answered with the operation's own answer...
    expect(answeredTotal, report).toBe(received);
    expect([...answered.keys()], report).toEqual([404]);
    // ...and the client got each of those answers. Refusals (Fastify's 503 while closing, answered before any hook)
    // and connection errors (refused, or an idle keep-alive socket closed as the client reused it) are requests the
    // server never accepted: the counts leave no room for one it accepted and dropped.
    expect(client.ok, report).toBe(answered.get(404));
    expect(client.otherStatus.size, report).toBe(0);
    expect(
      [...client.errors.keys()].filter((code) => code !== 'ECONNRESET' && code !== 'ECONNREFUSED' && code !== 'UND_ERR_SOCKET'),
      report,
    ).toEqual([]);
  }, 60_000);
});
