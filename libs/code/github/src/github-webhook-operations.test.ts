import { createHub, IntegrationError, redactText } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubFake, type GithubFake } from './__peers__/github-fake';
import { createGithub } from './index';

let fake: GithubFake;

beforeAll(async () => {
  fake = await startGithubFake();
});

afterAll(async () => {
  await fake?.close();
});

const webhookSecret = 'planted-hook-secret-0123456789';

function hub() {
  return createHub({ providers: [createGithub({ baseURL: fake.url, token: fake.token, webhookSecret })] });
}

describe('repository webhook operations', () => {
  it('registers a hook once: the same URL again returns the existing hook without a second POST', async () => {
    const switchyard = hub();
    try {
      const input = { repository: fake.repository, url: 'https://hooks.example.com/github', events: ['push', 'issues'] };
      const first = await switchyard.callProviderOperation('github', 'createWebhook', input);
      const again = await switchyard.callProviderOperation('github', 'createWebhook', { ...input, events: ['push'] });
      expect(first).toMatchObject({ url: input.url, events: ['push', 'issues'], active: true, created: true });
      expect(again).toEqual({ ...(first as object), created: false });
      const posts = fake.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/hooks'));
      expect(posts).toHaveLength(1);
      const sent = JSON.parse(posts[0]?.body ?? '{}') as { name: string; config: Record<string, string> };
      expect(sent).toMatchObject({ name: 'web', config: { url: input.url, content_type: 'json', secret: webhookSecret } });
      expect(await switchyard.callProviderOperation('github', 'listWebhooks', { repository: fake.repository })).toEqual([
        { id: (first as { id: number }).id, url: input.url, events: ['push', 'issues'], active: true },
      ]);
    } finally {
      await switchyard.close();
    }
  });

  it('keeps the secret a call gives in the provider’s secrets', async () => {
    const github = createGithub({ baseURL: fake.url, token: fake.token });
    const switchyard = createHub({ providers: [github] });
    try {
      const input = { repository: fake.repository, url: 'https://hooks.example.com/own-secret', secret: 'call-given-hook-secret' };
      await switchyard.callProviderOperation('github', 'createWebhook', input);
      expect(redactText('signed with call-given-hook-secret', github.secrets)).toBe('signed with [REDACTED]');
    } finally {
      await switchyard.close();
    }
  });

  it('deletes a hook, and reports not_found when it is already gone', async () => {
    const switchyard = hub();
    try {
      const hook = (await switchyard.callProviderOperation('github', 'createWebhook', {
        repository: fake.repository,
        url: 'https://hooks.example.com/short-lived',
      })) as { id: number; events: string[] };
      expect(hook.events, 'push by default').toEqual(['push']);
      expect(await switchyard.callProviderOperation('github', 'deleteWebhook', { repository: fake.repository, id: hook.id })).toEqual({
        id: hook.id,
        deleted: true,
      });
      const again = await switchyard
        .callProviderOperation('github', 'deleteWebhook', { repository: fake.repository, id: hook.id })
        .catch((error: unknown) => error);
      expect(IntegrationError.isInstance(again) && again.kind).toBe('not_found');
    } finally {
      await switchyard.close();
    }
  });

  it('refuses a URL that is not http(s) with validation, before any request', async () => {
    const switchyard = hub();
    const before = fake.requests.length;
    try {
      const error = await switchyard
        .callProviderOperation('github', 'createWebhook', { repository: fake.repository, url: 'ftp://hooks.example.com' })
        .catch((failure: unknown) => failure);
      expect(IntegrationError.isInstance(error) && error.kind).toBe('validation');
      expect(fake.requests.length).toBe(before);
    } finally {
      await switchyard.close();
    }
  });
});
