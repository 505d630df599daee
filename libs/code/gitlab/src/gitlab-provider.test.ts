import { redact, redactText } from '@switchyard/core';
import { createCallContext, expectSecretsKeptPrivately, testIssuesProvider, testProvider } from '@switchyard/testing';
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
    await expect(
      bare.execute(
        { capability: 'issues', operation: 'getIssue', input: { project: 'diaspora/diaspora-project-site', issueId: '14' } },
        createCallContext(),
      ),
    ).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('GITLAB_TOKEN') as unknown,
    });
    expect(createGitlab({ accessToken: 'oauth-token' }).isConfigured()).toBe(true);
    process.env.GITLAB_TOKEN = TOKEN;
    const fromEnvironment = createGitlab({ baseURL: fake.url, allowPrivateNetwork: true });
    expect(fromEnvironment.isConfigured()).toBe(true);
    const issue = await fromEnvironment.execute(
      { capability: 'issues', operation: 'getIssue', input: { project: 'diaspora/diaspora-project-site', issueId: '14' } },
      createCallContext(),
    );
    expect(issue).toMatchObject({ id: '14', title: 'Issues with auth', state: 'open', body: '', labels: ['bug'] });
  });

  it('sends the token as PRIVATE-TOKEN to /api/v4 and maps a rejected token to auth', async () => {
    const before = fake.requests.length;
    await create().healthCheck({ signal: new AbortController().signal });
    expect(fake.requests.slice(before)).toEqual([{ method: 'GET', path: '/api/v4/version', auth: 'private-token', body: '' }]);
    const wrong = createGitlab({ baseURL: fake.url, token: 'glpat-wrong', allowPrivateNetwork: true });
    await expect(wrong.healthCheck({ signal: new AbortController().signal })).rejects.toMatchObject({
      kind: 'auth',
      statusCode: 401,
      message: expect.stringContaining('401 Unauthorized') as unknown,
    });
  });
});

describe('gitlab secrets', () => {
  it('are held by the provider’s secret set, never by a property of the provider', () => {
    const planted = {
      token: 'glpat-planted-token-0123456789abcd',
      accessToken: 'planted-access-token-5e6f',
      webhookToken: 'planted-webhook-token-4f1e',
      clientSecret: 'planted-client-secret-9a2b',
      refreshToken: 'planted-refresh-token-7c3d',
    };
    const { clientSecret, refreshToken, ...rest } = planted;
    const gitlab = createGitlab({ ...rest, oauth2: { clientId: 'application-id', clientSecret, refreshToken } });
    expectSecretsKeptPrivately(gitlab, Object.values(planted));
    expect('webhookToken' in gitlab).toBe(false);
  });

  it('hide GitLab’s personal access token format and the X-Gitlab-Token header', () => {
    const gitlab = createGitlab();
    expect(redactText('echoed glpat-AbCdEfGhIjKlMnOpQrSt_-12 back', gitlab.secrets)).toBe('echoed [REDACTED] back');
    expect(redact({ 'X-Gitlab-Token': 'hook-token-value' }, gitlab.secrets)).toEqual({ 'X-Gitlab-Token': '[REDACTED]' });
  });
});

describe('gitlab issues', () => {
  const project = 'diaspora/diaspora-project-site';
  const call = (operation: string, input: unknown) => create().execute({ capability: 'issues', operation, input }, createCallContext());

  it('assigns by username (looked up with /users?username=), filters by assignee, and clears assignees with an empty list', async () => {
    const created = (await call('createIssue', { project, title: 'Assigned through usernames', assignees: ['john_smith'] })) as {
      id: string;
      assignees: string[];
    };
    expect(created.assignees).toEqual(['john_smith']);
    expect(fake.requests.some((request) => request.path === '/api/v4/users?username=john_smith')).toBe(true);
    const assigned = (await call('searchIssues', { project, assignee: 'john_smith', state: 'all' })) as { issues: { id: string }[] };
    expect(assigned.issues.map((issue) => issue.id)).toEqual([created.id]);
    const cleared = (await call('updateIssue', { project, issueId: created.id, assignees: [] })) as { assignees: string[] };
    expect(cleared.assignees).toEqual([]);
  });

  it('refuses an unknown assignee with validation before creating anything', async () => {
    const before = fake.state.projects[0]!.issues.length;
    await expect(call('createIssue', { project, title: 'Nobody', assignees: ['no-such-user'] })).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('no-such-user') as unknown,
    });
    expect(fake.state.projects[0]!.issues.length).toBe(before);
  });

  it('maps the documented issue and lists the member projects by path', async () => {
    expect(await call('getIssue', { project, issueId: '14' })).toEqual({
      id: '14',
      project,
      number: 14,
      title: 'Issues with auth',
      body: '',
      state: 'open',
      labels: ['bug'],
      assignees: [],
      url: 'http://example.com/diaspora/diaspora-project-site/-/issues/14',
      createdAt: '2016-01-07T12:44:33.959Z',
      updatedAt: '2016-01-07T12:44:33.959Z',
    });
    const page = (await call('listProjects', { query: 'brightbox' })) as { projects: { id: string }[] };
    expect(page.projects.map((entry) => entry.id)).toEqual(['brightbox/puppet']);
    expect(fake.requests.at(-1)?.path).toContain('membership=true');
  });
});
