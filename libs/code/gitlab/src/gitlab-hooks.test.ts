import { createHub, redactText } from '@switchyard/core';
import { createCallContext } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabFake, type GitlabFake } from './__peers__/gitlab-fake';
import { createGitlab } from './index';

const TOKEN = 'glpat-fake-token';
const PROJECT = 'diaspora/diaspora-project-site';
let fake: GitlabFake;

beforeAll(async () => {
  fake = await startGitlabFake({ token: TOKEN });
});
afterAll(async () => {
  await fake.close();
});

function operation(name: string) {
  const gitlab = createGitlab({ baseURL: fake.url, token: TOKEN, webhookToken: 'hook-secret-from-settings', allowPrivateNetwork: true });
  const found = gitlab.operations[name];
  if (found === undefined) throw new Error(`no operation ${name}`);
  // Parse as the hub would, so defaults and validation apply.
  return (input: unknown) => found.execute(found.input.parse(input), createCallContext());
}

describe('gitlab webhook operations', () => {
  it('creates a hook once: registering the same URL again returns the existing hook', async () => {
    const url = 'https://hooks.acme.example/gitlab';
    const first = await operation('createWebhook')({ project: PROJECT, url, events: ['push', 'merge_requests'] });
    expect(first).toMatchObject({ url, events: ['push', 'merge_requests'], created: true });
    const created = fake.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/hooks'));
    expect(created).toHaveLength(1);
    const again = await operation('createWebhook')({ project: PROJECT, url, events: ['issues'] });
    expect(again).toEqual({ ...(first as Record<string, unknown>), created: false });
    expect(fake.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/hooks'))).toHaveLength(1);
    const stored = fake.state.projects[0]!.hooks.filter((hook) => hook.url === url);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ push_events: true, merge_requests_events: true, issues_events: false, note_events: false });
  });

  it('sends the webhook token from settings unless the call gives one, and defaults to push, issues, merge requests and notes', async () => {
    await operation('createWebhook')({ project: PROJECT, url: 'https://hooks.acme.example/default' });
    await operation('createWebhook')({ project: PROJECT, url: 'https://hooks.acme.example/own', token: 'own-secret-token' });
    const hooks = fake.state.projects[0]!.hooks;
    expect(hooks.find((hook) => hook.url === 'https://hooks.acme.example/default')).toMatchObject({
      push_events: true,
      issues_events: true,
      merge_requests_events: true,
      note_events: true,
      pipeline_events: false,
    });
    // GitLab never returns the token, so what was sent is read from the requests.
    const sent = fake.requests
      .filter((request) => request.method === 'POST' && request.path.endsWith('/hooks'))
      .map((request) => JSON.parse(request.body) as { url: string; token?: string });
    expect(sent.find((body) => body.url.endsWith('/default'))?.token).toBe('hook-secret-from-settings');
    expect(sent.find((body) => body.url.endsWith('/own'))?.token).toBe('own-secret-token');
  });

  it('keeps the token a call gives in the provider’s secrets', async () => {
    const gitlab = createGitlab({ baseURL: fake.url, token: TOKEN, allowPrivateNetwork: true });
    const createWebhook = gitlab.operations.createWebhook!;
    const input = { project: PROJECT, url: 'https://hooks.acme.example/kept', token: 'call-given-hook-token' };
    await createWebhook.execute(createWebhook.input.parse(input), createCallContext());
    expect(redactText('sent call-given-hook-token', gitlab.secrets)).toBe('sent [REDACTED]');
  });

  it('lists hooks, including the documented one, and deletes by id; a missing hook is not_found', async () => {
    const listed = (await operation('listWebhooks')({ project: PROJECT })) as { webhooks: { id: number; url: string; events: string[] }[] };
    expect(listed.webhooks[0]).toEqual({
      id: 1,
      url: 'http://example.com/hook',
      events: ['push', 'issues', 'merge_requests', 'note', 'tag_push', 'pipeline', 'job', 'releases', 'wiki_page', 'deployment'],
      createdAt: '2012-10-12T17:04:47.000Z',
    });
    expect(await operation('deleteWebhook')({ project: PROJECT, hookId: 1 })).toEqual({ hookId: 1 });
    await expect(operation('deleteWebhook')({ project: PROJECT, hookId: 1 })).rejects.toMatchObject({ kind: 'not_found', statusCode: 404 });
  });

  it('refuses unknown event names and non-http URLs before any request', () => {
    const before = fake.requests.length;
    expect(() => operation('createWebhook')({ project: PROJECT, url: 'https://hooks.acme.example/x', events: ['pushes'] })).toThrow(
      /each event must be one of/,
    );
    expect(() => operation('createWebhook')({ project: PROJECT, url: 'ftp://hooks.acme.example/x' })).toThrow();
    expect(fake.requests.length).toBe(before);
  });

  it('runs through hub.callProviderOperation and is listed as tools with JSON Schemas', async () => {
    const hub = createHub({ providers: [createGitlab({ baseURL: fake.url, token: TOKEN, allowPrivateNetwork: true })] });
    const tools = hub.tools.list().filter((tool) => tool.target.kind === 'provider');
    expect(tools.map((tool) => tool.name)).toEqual(['gitlab_create_webhook', 'gitlab_delete_webhook', 'gitlab_list_webhooks']);
    expect(tools[0]?.inputSchema).toMatchObject({ type: 'object', required: ['project', 'url'] });
    expect(tools[0]?.annotations).toMatchObject({ idempotentHint: true, readOnlyHint: false });
    const first = await hub.callProviderOperation('gitlab', 'createWebhook', { project: PROJECT, url: 'https://hooks.acme.example/hub' });
    const again = await hub.callProviderOperation('gitlab', 'createWebhook', { project: PROJECT, url: 'https://hooks.acme.example/hub' });
    expect(again).toMatchObject({ id: (first as { id: number }).id, created: false });
    await expect(
      hub.callProviderOperation('gitlab', 'createWebhook', { project: PROJECT, url: 'https://hooks.acme.example/hub', events: [] }),
    ).rejects.toMatchObject({ kind: 'validation' });
  });
});
