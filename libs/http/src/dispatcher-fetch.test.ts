import { startFaultServer } from '@switchyard/testing';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { fetchThrough } from './dispatcher-fetch';

describe('fetchThrough', () => {
  it('sends through the dispatcher it is given, so an SDK taking a fetch takes a dispatcher', async () => {
    const server = await startFaultServer({ 'GET /ping': { body: { ok: true } } });
    const dispatched: string[] = [];
    const agent = new Agent().compose((dispatch) => (options, handler) => {
      dispatched.push(`${options.method} ${options.path}`);
      return dispatch(options, handler);
    });
    try {
      const through = fetchThrough(agent);
      // The first call waits for undici to load; the second finds it loaded.
      for (let call = 0; call < 2; call += 1) {
        const response = await through(`${server.url}/ping`, { headers: { accept: 'application/json' } });
        expect(await response.json()).toEqual({ ok: true });
      }
      expect(dispatched).toEqual(['GET /ping', 'GET /ping']);
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it('is the global fetch without one', () => {
    expect(fetchThrough(undefined)).toBe(globalThis.fetch);
  });
});
