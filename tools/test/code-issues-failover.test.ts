/**
 * Issue 6's cross-provider test: one hub over GitHub and GitLab, GitHub
 * preferred. Issues are a system of record (issue 15): by default a 5xx from
 * GitHub is returned and GitLab is never asked; a call that opts in with
 * `policy: { write: 'primary' }` sends the new issue to GitLab. A 422
 * (validation) is the caller's problem and never fails over. Both
 * providers talk HTTP to loopback servers scripted with their real wire
 * formats (GitHub's error body, GitLab's issue JSON from its API reference).
 */
import { createHub, type HubEvents } from '@switchyard/core';
import { createGithub } from '@switchyard/github';
import { createGitlab } from '@switchyard/gitlab';
import { startFaultServer, type FaultServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PROJECT = 'acme/website';
const GITLAB_PROJECT_PATH = `/api/v4/projects/${encodeURIComponent(PROJECT)}/issues`;
const TITLE = 'Checkout fails on Safari';

/** GitLab's "New issue" response (docs.gitlab.com/api/issues/#new-issue), as the issue the hub creates. */
const gitlabIssue = {
  project_id: 4,
  id: 84,
  iid: 14,
  title: TITLE,
  description: 'Steps to reproduce: ...',
  state: 'opened',
  assignees: [],
  labels: ['bug'],
  author: { id: 18, username: 'eileen.lowe', name: 'Alexandra Bashirian' },
  created_at: '2026-01-07T12:44:33.959Z',
  updated_at: '2026-01-07T12:44:33.959Z',
  closed_at: null,
  web_url: 'https://gitlab.example.com/acme/website/-/issues/14',
};

let github: FaultServer;
let gitlab: FaultServer;

beforeAll(async () => {
  [github, gitlab] = await Promise.all([startFaultServer(), startFaultServer()]);
  gitlab.route(`POST ${GITLAB_PROJECT_PATH}`, { status: 201, body: gitlabIssue });
});

afterAll(async () => {
  await Promise.all([github?.close(), gitlab?.close()]);
});

function codeHub() {
  const failovers: HubEvents['failover'][] = [];
  const hub = createHub({
    providers: [
      createGithub({ baseURL: github.url, token: 'ghp_planted0123456789abcdefghijklmnopqrs' }),
      createGitlab({ baseURL: gitlab.url, token: 'glpat-planted0123456789abcd', allowPrivateNetwork: true }),
    ],
    routing: { retry: { retries: 0 } },
    events: { failover: (event) => failovers.push(event) },
  });
  return { hub, failovers };
}

const createIssue = { project: PROJECT, title: TITLE, body: 'Steps to reproduce: ...', labels: ['bug'] };

describe('creating an issue with GitHub preferred and GitLab as the fallback', () => {
  it('keeps the issue on GitHub by default: a 502 is returned and GitLab is never asked', async () => {
    github.route(`POST /repos/${PROJECT}/issues`, { status: 502, body: { message: 'Server Error' } });
    const { hub, failovers } = codeHub();
    const gitlabBefore = gitlab.requests.length;
    await expect(
      hub.execute({ capability: 'issues', operation: 'createIssue', input: createIssue }, { prefer: ['github'] }),
    ).rejects.toMatchObject({ kind: 'provider', provider: 'github' });
    expect(gitlab.requests.length).toBe(gitlabBefore);
    // The router had nowhere to go: GitHub was the only candidate the policy allowed.
    expect(failovers.filter((event) => event.to !== undefined)).toEqual([]);
    expect(hub.explain({ capability: 'issues', operation: 'createIssue' }).policy).toMatchObject({ write: 'primary-only', stateful: true });
    await hub.close();
  });

  it('creates it on GitLab when GitHub answers 502 and the call opts in to failover, once, and says so in a failover event', async () => {
    github.route(`POST /repos/${PROJECT}/issues`, { status: 502, body: { message: 'Server Error' } });
    const { hub, failovers } = codeHub();
    const before = { github: github.requests.length, gitlab: gitlab.requests.length };
    const result = await hub.execute(
      { capability: 'issues', operation: 'createIssue', input: createIssue },
      { prefer: ['github'], policy: { write: 'primary' } },
    );
    expect(result.provider).toBe('gitlab');
    expect(result.value).toMatchObject({ id: '14', project: PROJECT, title: TITLE, state: 'open', labels: ['bug'] });
    expect(github.requests.slice(before.github).filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(gitlab.requests.slice(before.gitlab).filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(failovers).toEqual([
      expect.objectContaining({
        from: 'github',
        to: 'gitlab',
        operation: 'createIssue',
        error: expect.objectContaining({ kind: 'provider' }) as unknown,
      }),
    ]);
    await hub.close();
  });

  it('does not fail over on 422: the request itself is wrong, and GitLab is never asked', async () => {
    github.route(`POST /repos/${PROJECT}/issues`, {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'Issue', code: 'invalid', field: 'labels' }],
        documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
      },
    });
    const { hub, failovers } = codeHub();
    const gitlabBefore = gitlab.requests.length;
    await expect(
      hub.execute(
        { capability: 'issues', operation: 'createIssue', input: createIssue },
        { prefer: ['github'], policy: { write: 'primary' } },
      ),
    ).rejects.toMatchObject({
      kind: 'validation',
    });
    expect(gitlab.requests.length).toBe(gitlabBefore);
    expect(failovers).toEqual([]);
    await hub.close();
  });
});
