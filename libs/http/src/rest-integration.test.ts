import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHub, IntegrationError, SecretSet, type Hub } from '@switchyard/core';
import { startFaultServer, type FaultServer } from '@switchyard/testing';
import { bearerAuth, createRestIntegration, type RestIntegrationSettings } from './index';

const readOnly = { readOnly: true, destructive: false, idempotent: true };
const writes = { readOnly: false, destructive: false, idempotent: false };

function settingsFor(baseURL: string): RestIntegrationSettings {
  return {
    id: 'acme-tracker',
    name: 'Acme Tracker',
    category: 'project-management',
    docsUrl: 'https://docs.acme.dev/api',
    baseURL,
    allowPrivateNetwork: true,
    auth: bearerAuth({ token: 'rest-secret-token' }),
    operations: {
      listIssues: {
        method: 'GET',
        path: '/repos/{owner}/{repo}/issues',
        query: ['state', 'labels'],
        input: z.object({
          owner: z.string(),
          repo: z.string(),
          state: z.enum(['open', 'closed']).optional(),
          labels: z.array(z.string()).optional(),
        }),
        output: z.array(z.object({ id: z.number(), title: z.string() })),
        hints: readOnly,
        description: 'Lists the issues of a repository',
      },
      createIssue: {
        method: 'post',
        path: '/repos/{owner}/{repo}/issues',
        body: 'json',
        input: z.object({ owner: z.string(), repo: z.string(), title: z.string().min(1), body: z.string().optional() }),
        output: z.object({ id: z.number() }),
        hints: writes,
        description: 'Opens an issue',
      },
      addLabel: {
        method: 'POST',
        path: '/issues/{id}/labels',
        body: ['label'],
        input: z.object({ id: z.number(), label: z.string(), note: z.string().optional() }),
        output: z.object({ ok: z.boolean() }),
        hints: writes,
        description: 'Adds a label',
      },
      exchangeToken: {
        method: 'POST',
        path: '/oauth/token',
        body: 'form',
        input: z.object({ grant: z.string(), scopes: z.array(z.string()) }),
        output: z.object({ ok: z.boolean() }),
        hints: writes,
        description: 'Exchanges a grant',
      },
      getIssue: {
        method: 'GET',
        path: '/issues/{id}',
        input: z.object({ id: z.string() }),
        output: z.object({ id: z.number(), title: z.string() }),
        hints: readOnly,
        description: 'Reads one issue',
      },
    },
  };
}

describe('createRestIntegration', () => {
  let server: FaultServer;
  let hub: Hub;

  beforeAll(async () => {
    server = await startFaultServer({
      'GET /api/repos/octo/hello%20world/issues': { body: [{ id: 1, title: 'Broken link', extra: 'ignored' }] },
      'POST /api/repos/octo/hello/issues': (request) => ({ status: 201, body: { id: 42, echo: request.body } }),
      'POST /api/issues/7/labels': { body: { ok: true } },
      'POST /api/oauth/token': { body: { ok: true } },
      'GET /api/issues/wrong-shape': { body: { id: 'seven', title: 'x' } },
      'GET /api/issues/echo': (request) => ({
        status: 403,
        body: { message: `credential ${String(request.headers.authorization).slice('Bearer '.length)} refused` },
      }),
    });
    hub = createHub({ providers: [createRestIntegration(settingsFor(`${server.url}/api`))] });
  });

  afterAll(async () => {
    await hub.close();
    await server.close();
  });

  it('exposes each operation as a hub tool with its hints', () => {
    const tools = hub.tools.list().filter((tool) => tool.target.kind === 'provider');
    expect(tools.map((tool) => tool.name)).toEqual([
      'acme_tracker_add_label',
      'acme_tracker_create_issue',
      'acme_tracker_exchange_token',
      'acme_tracker_get_issue',
      'acme_tracker_list_issues',
    ]);
    const list = hub.tools.get('acme_tracker_list_issues');
    expect(list?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    expect(list?.inputSchema).toMatchObject({ required: ['owner', 'repo'] });
  });

  it('fills path parameters URL-encoded and sends query fields, with auth', async () => {
    const issues = await hub.callProviderOperation('acme-tracker', 'listIssues', {
      owner: 'octo',
      repo: 'hello world',
      state: 'open',
      labels: ['bug', 'p 1'],
    });
    expect(issues).toEqual([{ id: 1, title: 'Broken link' }]);
    const recorded = server.requests.at(-1)!;
    expect(recorded.path).toBe('/api/repos/octo/hello%20world/issues?state=open&labels=bug&labels=p%201');
    expect(recorded.headers.authorization).toBe('Bearer rest-secret-token');
  });

  it('encodes a path parameter that holds a slash rather than following it', async () => {
    await expect(hub.callProviderOperation('acme-tracker', 'getIssue', { id: '../admin' })).rejects.toMatchObject({ kind: 'not_found' });
    expect(server.requests.at(-1)!.path).toBe('/api/issues/..%2Fadmin');
  });

  it('sends the remaining fields as a JSON body', async () => {
    const created = await hub.callProviderOperation('acme-tracker', 'createIssue', { owner: 'octo', repo: 'hello', title: 'Typo' });
    expect(created).toEqual({ id: 42 });
    const recorded = server.requests.at(-1)!;
    expect(recorded.headers['content-type']).toBe('application/json');
    expect(JSON.parse(recorded.body)).toEqual({ title: 'Typo' });
  });

  it('sends only the listed body fields', async () => {
    await hub.callProviderOperation('acme-tracker', 'addLabel', { id: 7, label: 'bug', note: 'not sent' });
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ label: 'bug' });
  });

  it('sends a form body, repeating array fields', async () => {
    await hub.callProviderOperation('acme-tracker', 'exchangeToken', { grant: 'code 1', scopes: ['read', 'write'] });
    const recorded = server.requests.at(-1)!;
    expect(recorded.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(recorded.body).toBe('grant=code+1&scopes=read&scopes=write');
  });

  it('passes the shared error mapping through: 404 is not_found, never retried', async () => {
    const before = server.requests.length;
    const error: unknown = await hub
      .callProviderOperation('acme-tracker', 'getIssue', { id: 'missing' })
      .catch((caught: unknown) => caught);
    expect(IntegrationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'not_found', statusCode: 404, provider: 'acme-tracker' });
    expect(server.requests.length).toBe(before + 1);
  });

  it('redacts a token the API echoes with the provider’s secrets, its client’s set', async () => {
    const error = (await hub.callProviderOperation('acme-tracker', 'getIssue', { id: 'echo' }).catch((caught: unknown) => caught)) as Error;
    expect(error).toMatchObject({ kind: 'auth', statusCode: 403, message: expect.stringContaining('refused') as unknown });
    expect(JSON.stringify(error)).not.toContain('rest-secret-token');
    expect(error.message).not.toContain('rest-secret-token');
    const secrets = new SecretSet();
    expect(createRestIntegration({ ...settingsFor(server.url), secrets }).secrets).toBe(secrets);
  });

  it('names the field when the response does not match the output schema', async () => {
    await expect(hub.callProviderOperation('acme-tracker', 'getIssue', { id: 'wrong-shape' })).rejects.toMatchObject({
      kind: 'provider',
      message: expect.stringContaining('field "id"') as unknown,
    });
  });

  it('rejects invalid input before any request', async () => {
    const before = server.requests.length;
    await expect(
      hub.callProviderOperation('acme-tracker', 'createIssue', { owner: 'octo', repo: 'hello', title: '' }),
    ).rejects.toMatchObject({ kind: 'validation' });
    await expect(hub.callProviderOperation('acme-tracker', 'listIssues', { owner: 'octo' })).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('repo') as unknown,
    });
    expect(server.requests.length).toBe(before);
  });

  it('rejects routed capability calls as unsupported', async () => {
    const integration = createRestIntegration(settingsFor(server.url));
    expect(integration.manifest).toMatchObject({ capabilities: [], authKinds: ['bearer'] });
    expect(Object.isFrozen(integration.manifest)).toBe(true);
    await expect(integration.execute({ capability: 'issues', operation: 'getIssue', input: {} }, undefined as never)).rejects.toMatchObject(
      { kind: 'unsupported' },
    );
  });

  it("declares authKinds ['none'] without an auth strategy", () => {
    const integration = createRestIntegration({ ...settingsFor(server.url), auth: undefined });
    expect(integration.manifest.authKinds).toEqual(['none']);
  });
});

describe('createRestIntegration declaration checks', () => {
  const base = settingsFor('https://api.acme.dev');
  const operation = base.operations.getIssue!;

  it('fails when a path parameter is missing from the input schema', () => {
    expect(() => createRestIntegration({ ...base, operations: { getIssue: { ...operation, path: '/issues/{issueId}' } } })).toThrow(
      expect.objectContaining({ kind: 'validation', message: expect.stringContaining('path parameter "issueId" is missing') as unknown }),
    );
  });

  it('fails when a query field is missing from the input schema', () => {
    expect(() => createRestIntegration({ ...base, operations: { getIssue: { ...operation, query: ['page'] } } })).toThrow(
      /query field "page"/,
    );
  });

  it('fails on operation names that become the same tool', () => {
    expect(() => createRestIntegration({ ...base, operations: { getIssue: operation, get_issue: operation } })).toThrow(
      expect.objectContaining({ kind: 'validation', message: expect.stringContaining('duplicate operation "get_issue"') as unknown }),
    );
  });

  it('fails on a docsUrl that is not https', () => {
    expect(() => createRestIntegration({ ...base, docsUrl: 'http://docs.acme.dev' })).toThrow(
      expect.objectContaining({ kind: 'validation', message: expect.stringContaining('docsUrl') as unknown }),
    );
  });
});
