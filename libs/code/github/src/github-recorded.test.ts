import { IntegrationError, type CapabilityName, type RateLimitStatus } from '@switchyard/core';
import { createCallContext } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORDED_TOKEN, startRecordedGithub, type RecordedGithub } from './__peers__/github-recorded';
import { createGithub } from './index';

// Recorded real api.github.com traffic (@octokit/fixtures 23.1.2), replayed by @octokit/fixtures-server on 127.0.0.1.
// Only recordings whose requests this provider sends byte for byte can be replayed: get-repository and the first
// call of add-labels-to-issue. The other scenarios record calls this provider does not make (labels, releases,
// collaborators) or make differently (search-issues without sort and state qualifiers, paginate-issues without
// state and sort, get-content with the raw media type); the contract suites run on the wire-protocol fake instead.
let recorded: RecordedGithub;

beforeAll(async () => {
  recorded = await startRecordedGithub();
});

afterAll(async () => {
  await recorded?.close();
});

async function run(scenario: string, capability: CapabilityName, operation: string, input: unknown) {
  const baseURL = await recorded.load(scenario);
  const reports: RateLimitStatus[] = [];
  const output = await createGithub({ baseURL, token: RECORDED_TOKEN }).execute(
    { capability, operation, input },
    createCallContext({ reportRateLimit: (status) => reports.push(status) }),
  );
  return { output, reports, baseURL };
}

describe('GitHub against recorded api.github.com traffic', () => {
  it('get-repository: getRepository sends the recorded request and maps the recorded answer', async () => {
    const { output, reports } = await run('get-repository', 'repositories', 'getRepository', {
      repository: 'octokit-fixture-org/hello-world',
    });
    expect(output).toMatchObject({
      id: 'octokit-fixture-org/hello-world',
      name: 'hello-world',
      fullName: 'octokit-fixture-org/hello-world',
      defaultBranch: 'master',
      visibility: 'public',
      archived: false,
      stars: 42,
      forks: 42,
      topics: ['fixtures', 'hello', 'hello-world'],
      updatedAt: '2017-10-10T16:00:00.000Z',
    });
    expect((output as { url: string }).url).toMatch(/\/github\.com\/\w+\/octokit-fixture-org\/hello-world$/);
    expect(reports, 'the recorded x-ratelimit-* headers are reported to the router').toEqual([
      expect.objectContaining({ limit: 5000, remaining: 4999 }),
    ]);
  });

  it('add-labels-to-issue: createIssue with only a title sends exactly the recorded body', async () => {
    const { output } = await run('add-labels-to-issue', 'issues', 'createIssue', {
      project: 'octokit-fixture-org/add-labels-to-issue',
      title: 'Issue without a label',
    });
    expect(output).toMatchObject({
      id: '1',
      number: 1,
      project: 'octokit-fixture-org/add-labels-to-issue',
      title: 'Issue without a label',
      body: '',
      state: 'open',
      labels: [],
      assignees: [],
    });
  });

  it('a request the recording does not hold is refused (the replay is exact), surfacing as not_found', async () => {
    const baseURL = await recorded.load('get-repository');
    const error = await createGithub({ baseURL, token: RECORDED_TOKEN })
      .execute(
        { capability: 'repositories', operation: 'getRepository', input: { repository: 'octokit-fixture-org/another-world' } },
        createCallContext(),
      )
      .catch((failure: unknown) => failure);
    expect(IntegrationError.isInstance(error) && error.kind).toBe('not_found');
  });
});
