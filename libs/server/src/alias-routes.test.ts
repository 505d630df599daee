import { createHub } from '@switchyard/core';
import { createMemoryIssuesProvider, createMemoryMessagingProvider, createMemoryRepositoriesProvider } from '@switchyard/core/testing';
import { createApiKeys, createMemoryStore } from '@switchyard/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type SwitchyardServer } from './index';
import { SERVICE_ALIASES } from './routes/alias-routes';

let server: SwitchyardServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server whose github, jira and slack providers are core's in-memory ones under those ids: the aliases, not the services, are under test. */
async function start() {
  const store = createMemoryStore();
  const hub = createHub({
    providers: [
      createMemoryRepositoriesProvider({ id: 'github' }),
      createMemoryIssuesProvider({ id: 'jira' }),
      createMemoryMessagingProvider({ id: 'slack' }),
      // Another repositories provider: the aliases must not reach it.
      createMemoryRepositoriesProvider({ id: 'gitlab' }),
    ],
  });
  const keys = createApiKeys(store);
  const execute = (await keys.issue({ name: 'aliases', scopes: ['execute'] })).key;
  server = createServer({ hub, platform: { store } });
  const url = await server.listen();
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${execute}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { call, hub };
}

describe('per-service aliases', () => {
  it('are generated from one table, each documented in the OpenAPI document', async () => {
    await start();
    const paths = Object.keys((server!.openApi() as { paths: Record<string, unknown> }).paths);
    for (const alias of SERVICE_ALIASES) expect(paths).toContain(alias.path.replace(/:([A-Za-z]+)/g, '{$1}'));
  });

  it('run the capability operation on the named provider only', async () => {
    const { call, hub } = await start();
    const seen: string[] = [];
    hub.events.on('attempt', (event) => seen.push(event.provider));

    const repository = await call('GET', '/api/v1/github/repos/acme/website');
    expect(repository).toMatchObject({ status: 200, body: { fullName: 'acme/website' } });
    const commits = await call('GET', '/api/v1/github/repos/acme/website/commits?limit=2');
    expect(commits.status).toBe(200);
    expect((commits.body.commits as unknown[]).length).toBeLessThanOrEqual(2);
    expect((await call('GET', '/api/v1/github/repos/acme/website/pulls?state=all')).status).toBe(200);
    expect((await call('GET', '/api/v1/github/repos?query=website')).body).toMatchObject({ repositories: [{ fullName: 'acme/website' }] });

    expect((await call('GET', '/api/v1/jira/projects')).body).toMatchObject({ projects: [{ id: 'acme/website' }, { id: 'acme/api' }] });
    const created = await call('POST', '/api/v1/jira/projects/acme%2Fapi/issues', { title: 'Rate limits', body: 'Document them.' });
    expect(created, JSON.stringify(created.body)).toMatchObject({ status: 200, body: { title: 'Rate limits' } });
    const issue = (created.body as { id: string }).id;
    expect((await call('GET', `/api/v1/jira/projects/acme%2Fapi/issues/${issue}`)).body).toMatchObject({ title: 'Rate limits' });
    expect((await call('GET', '/api/v1/jira/projects/acme%2Fapi/issues?state=open&labels=a,b')).status).toBe(200);

    expect((await call('GET', '/api/v1/slack/channels?limit=10')).body).toMatchObject({ channels: expect.any(Array) as unknown });
    expect((await call('GET', '/api/v1/slack/users')).status).toBe(200);
    expect(
      (await call('POST', '/api/v1/slack/message', { recipient: { kind: 'channel', id: 'C-general' }, text: 'deployed' })).status,
    ).toBe(200);

    expect(new Set(seen)).toEqual(new Set(['github', 'jira', 'slack']));
  });

  it('answer bad input with the field named, and a missing capability or provider clearly', async () => {
    const { call } = await start();
    const noQuery = await call('GET', '/api/v1/github/repos');
    expect(noQuery).toMatchObject({ status: 400, body: { kind: 'validation', errors: [{ field: 'query.query' }] } });
    const badLimit = await call('GET', '/api/v1/slack/channels?limit=lots');
    expect(badLimit).toMatchObject({ status: 400, body: { errors: [{ field: 'query.limit' }] } });
    const noTitle = await call('POST', '/api/v1/jira/projects/acme%2Fapi/issues', { body: 'no title' });
    expect(noTitle.status).toBe(400);
    expect((noTitle.body.errors as { field: string }[]).map((error) => error.field)).toContain('body.title');
    // The github provider here has no issues capability: the hub refuses, nothing else is tried.
    expect((await call('GET', '/api/v1/github/repos/acme/website/issues')).status).toBe(400);
    expect((await call('GET', '/api/v1/github/repos/acme/nowhere')).status).toBe(404);
  });

  it('stop the provider call when the client hangs up, as POST /api/v1/execute does', async () => {
    const store = createMemoryStore();
    const cancelled: string[] = [];
    const started: string[] = [];
    // A github provider that answers only when its call is aborted.
    const hanging = {
      ...createMemoryRepositoriesProvider({ id: 'github' }),
      execute: async (request: { operation: string }, context: { signal: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          started.push(request.operation);
          context.signal.addEventListener('abort', () => {
            cancelled.push(request.operation);
            reject(new Error('aborted'));
          });
        }),
    };
    const hub = createHub({ providers: [hanging], routing: { retry: { retries: 0 } } });
    const key = (await createApiKeys(store).issue({ name: 'hang-up', scopes: ['execute'] })).key;
    server = createServer({ hub, platform: { store } });
    const url = await server.listen();
    const hangUp = async (path: string, init: RequestInit) => {
      const client = new AbortController();
      const count = started.length;
      const sent = fetch(`${url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        signal: client.signal,
      });
      await expect.poll(() => started.length).toBe(count + 1);
      client.abort();
      await expect(sent).rejects.toThrow();
    };

    await hangUp('/api/v1/github/repos/acme/website', { method: 'GET' });
    await expect.poll(() => cancelled).toEqual(['getRepository']);
    await hangUp('/api/v1/execute', {
      method: 'POST',
      body: JSON.stringify({ capability: 'repositories', operation: 'getRepository', input: { repository: 'acme/website' } }),
    });
    await expect.poll(() => cancelled).toEqual(['getRepository', 'getRepository']);
  });
});
