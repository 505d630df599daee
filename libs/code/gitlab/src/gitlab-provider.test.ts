import { createCallContext, testIssuesProvider, testProvider } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabFake, type GitlabFake } from './__peers__/gitlab-fake';
import { createGitlab } from './index';

const TOKEN = 'glpat-fake-token';
let fake: GitlabFake;

beforeAll(async () => {
  fake = await startGitlabFake({ token: TOKEN });
});
afterAll(async () => {
  await fake.close();
});

const create = () => createGitlab({ baseURL: fake.url, token: TOKEN, allowPrivateNetwork: true });

testProvider({ id: 'gitlab', category: 'code', create: () => createGitlab({ token: TOKEN }) });

testIssuesProvider({ create, project: 'diaspora/diaspora-project-site' });

describe('createGitlab settings', () => {
  const saved = { GITLAB_URL: process.env.GITLAB_URL, GITLAB_TOKEN: process.env.GITLAB_TOKEN };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('talks to gitlab.com by default, else GITLAB_URL, else settings, without trailing slashes', () => {
    delete process.env.GITLAB_URL;
    expect(createGitlab().baseURL).toBe('https://gitlab.com');
    process.env.GITLAB_URL = 'https://gitlab.acme.example/';
    expect(createGitlab().baseURL).toBe('https://gitlab.acme.example');
    expect(createGitlab({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe('http://127.0.0.1:9/from-settings');
  });

  it('is configured by a token, GITLAB_TOKEN or OAuth2, and fails with auth naming GITLAB_TOKEN without one', async () => {
    delete process.env.GITLAB_TOKEN;
    const bare = createGitlab({ baseURL: fake.url, allowPrivateNetwork: true });
    expect(bare.isConfigured()).toBe(false);
    await expect(bare.execute({ capability: 'issues', operation: 'getIssue', input: { project: 'diaspora/diaspora-project-site', issueId: '14' } }, createCallContext())).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('GITLAB_TOKEN') as unknown,
    });
    expect(createGitlab({ accessToken: 'oauth-token' }).isConfigured()).toBe(true);
    process.env.GITLAB_TOKEN = TOKEN;
    const fromEnvironment = createGitlab({ baseURL: fake.url, allowPrivateNetwork: true });
    expect(fromEnvironment.isConfigured()).toBe(true);
    const issue = await fromEnvironment.execute({ capability: 'issues', operation: 'getIssue', input: { project: 'diaspora/diaspora-project-site', issueId: '14' } }, createCallContext());
    expect(issue).toMatchObject({ id: '14', title: 'Issues with auth', state: 'open', body: '', labels: ['bug'] });
  });

  it('sends the token as PRIVATE-TOKEN to /api/v4 and maps a rejected token to auth', async () => {
    const before = fake.requests.length;
    await create().healthCheck({ signal: new AbortController().signal });
    expect(fake.requests.slice(before)).toEqual([{ method: 'GET', path: '/api/v4/version', auth: 'private-token', body: '' }]);
    const wrong = createGitlab({ baseURL: fake.url, token: 'glpat-wrong', allowPrivateNetwork: true });
    await expect(wrong.healthCheck({ signal: new AbortController().signal })).rejects.toMatchObject({ kind: 'auth', statusCode: 401, message: expect.stringContaining('401 Unauthorized') as unknown });
  });
});
