import type { CapabilityName } from '@switchyard/core';
import { createCallContext, type Prism, testIssuesProvider, testRepositoriesProvider } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubFake, type GithubFake } from './__peers__/github-fake';
import { startGithubPrism } from './__peers__/github-prism';
import { createGithub } from './index';

// The issues and repositories contract suites, through Prism serving GitHub's official OpenAPI description as a
// validating proxy in front of the wire-protocol fake (src/__peers__/github-fake.ts, whose answers follow the
// recorded api.github.com traffic in src/__fixtures__). The fake holds the state a send-then-read suite needs;
// Prism refuses, with its 422 or 500, any request or answer the description does not allow, so a suite case
// passes only if every exchange in it is one GitHub describes. github-recorded.test.ts replays real recordings.
let fake: GithubFake;
let prism: Prism;

beforeAll(async () => {
  fake = await startGithubFake();
  prism = await startGithubPrism(fake.url);
}, 120_000);

afterAll(async () => {
  await prism?.stop();
  await fake?.close();
});

const github = () => createGithub({ baseURL: prism.url, token: fake.token, dispatcher: prism.dispatcher });

testIssuesProvider({
  create: github,
  project: 'octokit-fixture-org/switchyard-contract',
});

// The fake's repository is the recorded octokit-fixture-org/hello-world, with commits and pull requests from
// GitHub's OpenAPI examples.
testRepositoriesProvider({
  create: github,
  fixture: {
    repository: 'octokit-fixture-org/hello-world',
    missingRepository: 'octokit-fixture-org/does-not-exist',
    searchQuery: 'octokit-fixture-org',
    branch: 'master',
    author: 'hubot',
    file: { path: 'README.md', contains: 'Hello, World!' },
    directory: 'src',
    missingFile: 'docs/missing.md',
    pullRequests: { state: 'merged', atLeast: 1 },
  },
});

const calls: [CapabilityName, string, unknown][] = [
  [
    'issues',
    'createIssue',
    { project: 'octokit-fixture-org/hello-world', title: 'Found a bug', body: 'Details', labels: ['bug'], assignees: ['octocat'] },
  ],
  [
    'issues',
    'updateIssue',
    {
      project: 'octokit-fixture-org/hello-world',
      issueId: '1',
      title: 'Renamed',
      state: 'closed',
      labels: ['bug', 'triage'],
      assignees: [],
    },
  ],
  ['issues', 'searchIssues', { project: 'octokit-fixture-org/hello-world', state: 'all', labels: ['bug'], assignee: 'octocat', limit: 5 }],
  [
    'issues',
    'searchIssues',
    { project: 'octokit-fixture-org/hello-world', query: 'crash on start', state: 'closed', labels: ['needs triage'], limit: 5 },
  ],
  [
    'repositories',
    'listCommits',
    {
      repository: 'octokit-fixture-org/hello-world',
      branch: 'master',
      author: 'hubot',
      since: '2011-01-01T00:00:00Z',
      until: '2013-01-01T00:00:00Z',
      path: 'README.md',
      limit: 20,
    },
  ],
  [
    'repositories',
    'listPullRequests',
    { repository: 'octokit-fixture-org/hello-world', state: 'merged', targetBranch: 'master', limit: 20 },
  ],
  ['repositories', 'getFileContent', { repository: 'octokit-fixture-org/hello-world', path: 'README.md', ref: 'master' }],
];

describe('GitHub against its official OpenAPI description (Prism proxy)', () => {
  it('the suites above sent no request and got no answer the description refuses', () => {
    expect(prism.exchanges.length, 'the suites went through Prism').toBeGreaterThan(30);
    expect(prism.errorViolations()).toEqual([]);
  });

  for (const [capability, operation, input] of calls) {
    it(`${capability}.${operation} with every filter set: requests and answers are in the description`, async () => {
      const before = prism.exchanges.length;
      await github().execute({ capability, operation, input }, createCallContext());
      const sent = prism.exchanges.slice(before);
      expect(sent.length, 'a request was sent').toBeGreaterThan(0);
      for (const exchange of sent)
        expect({ request: `${exchange.method} ${exchange.path}`, status: exchange.status, violations: exchange.violations }).toEqual({
          request: `${exchange.method} ${exchange.path}`,
          status: expect.any(Number) as unknown,
          violations: [],
        });
    });
  }

  it('webhook operations: creating twice, listing and deleting repository hooks are exchanges the description allows', async () => {
    const provider = github();
    const context = createCallContext();
    const before = prism.exchanges.length;
    const hook = {
      repository: 'octokit-fixture-org/hello-world',
      url: 'https://hooks.example.com/github',
      events: ['push', 'issues'],
      secret: 'hook-secret-0123',
    };
    const created = (await provider.operations.createWebhook!.execute(hook, context)) as { id: string };
    await provider.operations.createWebhook!.execute(hook, context);
    await provider.operations.listWebhooks!.execute({ repository: hook.repository }, context);
    await provider.operations.deleteWebhook!.execute({ repository: hook.repository, id: created.id }, context);
    const sent = prism.exchanges.slice(before);
    expect(sent.map((exchange) => exchange.method)).toEqual(expect.arrayContaining(['GET', 'POST', 'DELETE']));
    expect(sent.flatMap((exchange) => exchange.violations)).toEqual([]);
  });

  it('getRepository by numeric id uses GET /repositories/{id}, which GitHub serves but does not describe', async () => {
    // Recorded in @octokit/fixtures (rename-repository, paginate-issues follow /repositories/1000 links); absent from
    // the OpenAPI description, so Prism refuses the route, and the provider reports it as not found.
    const before = prism.exchanges.length;
    const failure = await github()
      .execute({ capability: 'repositories', operation: 'getRepository', input: { repository: '1000' } }, createCallContext())
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'not_found' });
    expect(prism.exchanges.slice(before).map((exchange) => `${exchange.method} ${exchange.path} ${exchange.status}`)).toEqual([
      'GET /repositories/1000 404',
    ]);
  });

  it('the check can fail: Prism refuses a query value outside the description, before the fake sees it', async () => {
    const seen = fake.requests.length;
    const response = await prism.fetch(`${prism.url}/repos/octokit-fixture-org/hello-world/issues?state=merged`, {
      headers: { accept: 'application/json', authorization: `token ${fake.token}` },
    });
    expect(response.status).toBe(422);
    await response.body?.cancel();
    expect(prism.exchanges.at(-1)?.violations).toEqual([expect.objectContaining({ location: ['request', 'query', 'state'] })]);
    expect(fake.requests.length).toBe(seen);
  });

  it('the check can fail: Prism refuses an answer that breaks the description', async () => {
    fake.failNext({ status: 200, body: { id: 'not-a-number' } });
    const failure = await github()
      .execute(
        { capability: 'issues', operation: 'getIssue', input: { project: 'octokit-fixture-org/hello-world', issueId: '1' } },
        createCallContext(),
      )
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'provider' });
    expect(prism.exchanges.at(-1)).toMatchObject({
      status: 500,
      violations: expect.arrayContaining([expect.objectContaining({ location: ['response', 'body', 'id'] })]) as unknown,
    });
    prism.exchanges.pop(); // deliberate; not one of the suites' exchanges
  });
});
