import type { CapabilityName } from '@switchyard/core';
import { createCallContext } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubPrism, type GithubPrism, type PrismExchange } from './__peers__/github-prism';
import { createGithub } from './index';

// Request shapes against GitHub's own OpenAPI description, served by Prism. Prism answers with the description's
// examples (some wrapped in {"value": …}), so outputs are not asserted here: the contract suites assert them on
// the wire-protocol fake. What is asserted: every request this provider sends exists in the description and
// passes its path, query and body validation.
let prism: GithubPrism;

beforeAll(async () => {
  prism = await startGithubPrism();
}, 120_000);

afterAll(async () => {
  await prism?.stop();
});

const github = () => createGithub({ baseURL: prism.url, token: 'ghp_prism_0123456789', request: { fetch: prism.fetch, headers: { accept: 'application/json' } } });

/** Violations of the request only: some of the description's own examples break its response schemas (Prism reports those too). */
const requestViolations = (exchange: PrismExchange) => exchange.violations.filter((violation) => violation.location[0] === 'request');

const calls: [CapabilityName, string, unknown][] = [
  ['issues', 'createIssue', { project: 'octocat/hello-world', title: 'Found a bug', body: 'Details', labels: ['bug'], assignees: ['octocat'] }],
  ['issues', 'getIssue', { project: 'octocat/hello-world', issueId: '1347' }],
  ['issues', 'updateIssue', { project: 'octocat/hello-world', issueId: '1347', title: 'Renamed', state: 'closed', labels: ['bug', 'triage'], assignees: [] }],
  ['issues', 'commentOnIssue', { project: 'octocat/hello-world', issueId: '1347', body: 'Me too' }],
  ['issues', 'searchIssues', { project: 'octocat/hello-world', state: 'all', labels: ['bug'], assignee: 'octocat', limit: 5 }],
  ['issues', 'searchIssues', { project: 'octocat/hello-world', query: 'crash on start', state: 'closed', labels: ['needs triage'], limit: 5 }],
  ['issues', 'listProjects', { limit: 10 }],
  ['repositories', 'getRepository', { repository: 'octocat/hello-world' }],
  ['repositories', 'searchRepositories', { query: 'switchyard language:typescript', limit: 10 }],
  ['repositories', 'listCommits', { repository: 'octocat/hello-world', branch: 'main', author: 'octocat', since: '2024-01-01T00:00:00Z', until: '2024-06-01T00:00:00Z', path: 'src', limit: 20 }],
  ['repositories', 'listPullRequests', { repository: 'octocat/hello-world', state: 'merged', targetBranch: 'main', limit: 20 }],
  ['repositories', 'getFileContent', { repository: 'octocat/hello-world', path: 'docs/read me.md', ref: 'main' }],
];

describe('GitHub request shapes against the official OpenAPI description (Prism)', () => {
  for (const [capability, operation, input] of calls) {
    it(`${capability}.${operation} ${JSON.stringify(input).slice(0, 80)}: every request is in the description and valid`, async () => {
      const before = prism.exchanges.length;
      await github()
        .execute({ capability, operation, input }, createCallContext())
        .catch(() => undefined); // Prism's example bodies need not map; the requests are what is checked.
      const sent = prism.exchanges.slice(before);
      expect(sent.length, 'a request was sent').toBeGreaterThan(0);
      for (const exchange of sent) {
        expect({ request: `${exchange.method} ${exchange.path}`, violations: requestViolations(exchange) }).toEqual({ request: `${exchange.method} ${exchange.path}`, violations: [] });
        expect(exchange.status, `${exchange.method} ${exchange.path}`).toBeLessThan(400);
      }
    });
  }

  it('webhook operations: listing, creating and deleting repository hooks are valid requests', async () => {
    const provider = github();
    const before = prism.exchanges.length;
    const context = createCallContext();
    await provider.operations.createWebhook?.execute({ repository: 'octocat/hello-world', url: 'https://hooks.example.com/github', events: ['push', 'issues'], secret: 'hook-secret-0123' }, context).catch(() => undefined);
    await provider.operations.deleteWebhook?.execute({ repository: 'octocat/hello-world', id: 12_345_678 }, context).catch(() => undefined);
    const sent = prism.exchanges.slice(before);
    expect(sent.map((exchange) => exchange.method)).toEqual(expect.arrayContaining(['GET', 'DELETE']));
    for (const exchange of sent) expect({ request: `${exchange.method} ${exchange.path}`, violations: requestViolations(exchange), failed: exchange.status >= 400 }).toMatchObject({ violations: [], failed: false });
  });

  it('getRepository by numeric id uses GET /repositories/{id}, which GitHub serves but does not describe', async () => {
    // Recorded in @octokit/fixtures (rename-repository, paginate-issues follow /repositories/1000 links); absent from the OpenAPI description.
    const before = prism.exchanges.length;
    await github().execute({ capability: 'repositories', operation: 'getRepository', input: { repository: '1296269' } }, createCallContext()).catch(() => undefined);
    expect(prism.exchanges.slice(before).map((exchange) => `${exchange.method} ${exchange.path} ${exchange.status}`)).toEqual(['GET /repositories/1296269 404']);
  });

  it('the check can fail: Prism reports a query value outside the description', async () => {
    const response = await prism.fetch(`${prism.url}/repos/octocat/hello-world/issues?state=merged`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(422);
    expect(prism.exchanges.at(-1)?.violations).toEqual([expect.objectContaining({ location: ['request', 'query', 'state'] })]);
  });
});
