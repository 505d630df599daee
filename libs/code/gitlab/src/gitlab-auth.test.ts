import { randomBytes } from 'node:crypto';
import { redactText } from '@switchyard/core';
import { createCredentialManager, createMemoryStore } from '@switchyard/platform';
import { createCallContext } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabFake, type GitlabFake } from './__peers__/gitlab-fake';
import { createGitlab } from './index';

const OAUTH = { clientId: 'fake-application-id', clientSecret: 'fake-application-secret-9c1e', refreshToken: 'fake-refresh-token-5b7d' };
const getIssue = {
  capability: 'issues',
  operation: 'getIssue',
  input: { project: 'diaspora/diaspora-project-site', issueId: '14' },
} as const;
let fake: GitlabFake;

beforeAll(async () => {
  fake = await startGitlabFake({ oauth: OAUTH, accessTokens: ['fake-static-access-token'] });
});
afterAll(async () => {
  await fake.close();
});

describe('gitlab OAuth2', () => {
  it('sends an OAuth2 access token as a Bearer token', async () => {
    const gitlab = createGitlab({ baseURL: fake.url, accessToken: 'fake-static-access-token', allowPrivateNetwork: true });
    await expect(gitlab.execute(getIssue, createCallContext())).resolves.toMatchObject({ id: '14' });
    expect(fake.requests.at(-1)?.auth).toBe('Bearer fake-static-access-token');
  });

  it('refreshes at <baseURL>/oauth/token, and after a 401 forgets the token so the next call refreshes again', async () => {
    const gitlab = createGitlab({ baseURL: fake.url, oauth2: OAUTH, allowPrivateNetwork: true });
    const before = fake.requests.length;
    await gitlab.execute(getIssue, createCallContext());
    const first = fake.requests.slice(before);
    expect(first.map((request) => request.path)).toEqual(['/oauth/token', '/api/v4/projects/diaspora%2Fdiaspora-project-site/issues/14']);
    expect(new URLSearchParams(first[0]!.body).get('grant_type')).toBe('refresh_token');
    const issuedToken = first[1]!.auth;
    const issued = issuedToken!.slice('Bearer '.length);
    expect(redactText(`sent ${issued}`, gitlab.secrets), 'the fetched token joins the provider’s secrets').toBe('sent [REDACTED]');
    fake.accessTokens.delete(issued);
    await expect(gitlab.execute(getIssue, createCallContext())).rejects.toMatchObject({ kind: 'auth', statusCode: 401 });
    await expect(gitlab.execute(getIssue, createCallContext())).resolves.toMatchObject({ id: '14' });
    expect(fake.requests.at(-2)?.path).toBe('/oauth/token');
    expect(fake.requests.at(-1)?.auth).not.toBe(issuedToken);
  });

  it('takes tokens from the credential vault, refreshing through GitLab, and invalidates them on a 401', async () => {
    const store = createMemoryStore();
    await store.integrations.create({ id: 'gitlab-acme', providerId: 'gitlab', name: 'GitLab (acme)' });
    const credentials = createCredentialManager({ store, keys: { current: { id: 'k1', secret: randomBytes(32).toString('base64') } } });
    await credentials.setOAuth2Tokens('gitlab-acme', { refreshToken: OAUTH.refreshToken });
    const refreshes: string[] = [];
    credentials.onRefresh((event) => refreshes.push(event.outcome));
    const gitlab = createGitlab({
      baseURL: fake.url,
      oauth2: { clientId: OAUTH.clientId, clientSecret: OAUTH.clientSecret },
      credentials: { manager: credentials, integrationId: 'gitlab-acme' },
      allowPrivateNetwork: true,
    });
    expect(gitlab.isConfigured()).toBe(true);
    await expect(gitlab.execute(getIssue, createCallContext())).resolves.toMatchObject({ id: '14' });
    expect(refreshes).toEqual(['refreshed']);
    const stored = JSON.parse(await credentials.get('gitlab-acme', 'oauth2')) as { accessToken: string };
    expect(fake.requests.at(-1)?.auth).toBe(`Bearer ${stored.accessToken}`);
    expect(redactText(`sent ${stored.accessToken}`, gitlab.secrets)).toBe('sent [REDACTED]');
    const size = gitlab.secrets?.size;
    fake.accessTokens.delete(stored.accessToken);
    await expect(gitlab.execute(getIssue, createCallContext())).rejects.toMatchObject({ kind: 'auth' });
    await expect(gitlab.execute(getIssue, createCallContext())).resolves.toMatchObject({ id: '14' });
    expect(refreshes).toEqual(['refreshed', 'refreshed']);
    const renewed = JSON.parse(await credentials.get('gitlab-acme', 'oauth2')) as { accessToken: string; refreshToken: string };
    expect(redactText(`${renewed.accessToken} ${renewed.refreshToken}`, gitlab.secrets)).toBe('[REDACTED] [REDACTED]');
    expect(gitlab.secrets?.size, 'renewed tokens replace the old ones').toBe(size);
  });

  it('fails with auth when the token endpoint refuses the refresh token', async () => {
    const gitlab = createGitlab({
      baseURL: fake.url,
      oauth2: { ...OAUTH, refreshToken: 'revoked-refresh-token' },
      allowPrivateNetwork: true,
    });
    await expect(gitlab.execute(getIssue, createCallContext())).rejects.toMatchObject({ kind: 'auth' });
  });
});
