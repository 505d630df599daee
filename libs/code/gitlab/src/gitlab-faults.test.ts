import { createHub, type IntegrationError } from '@switchyard/core';
import {
  createCallContext,
  createMemoryIssuesProvider,
  startFaultServer,
  testProviderFaults,
  type FaultResponse,
  type FaultServer,
  integrationErrorOf,
} from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from './__peers__/gitlab-fake-data';
import { createGitlab } from './index';

const TOKEN = 'glpat-planted-fault-token-5e8c1d';
const ISSUE_ROUTE = 'GET /api/v4/projects/3/issues/14';
const getIssue = { capability: 'issues', operation: 'getIssue', input: { project: '3', issueId: '14' } } as const;
const createIssue = { capability: 'issues', operation: 'createIssue', input: { project: '3', title: 'Broken footer link' } } as const;
const errorBodies = fixture<Record<string, unknown>>('errors.json');
let server: FaultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

testProviderFaults({
  provider: 'gitlab',
  create: (baseURL) => createGitlab({ baseURL, token: TOKEN, allowPrivateNetwork: true }),
  request: getIssue,
  route: ISSUE_ROUTE,
  secrets: [TOKEN],
});

async function failure(
  answer: FaultResponse,
  request: typeof getIssue | typeof createIssue = getIssue,
  route = ISSUE_ROUTE,
): Promise<IntegrationError> {
  server = await startFaultServer({ [route]: answer });
  const gitlab = createGitlab({ baseURL: server.url, token: TOKEN, allowPrivateNetwork: true });
  return integrationErrorOf(gitlab.execute(request, createCallContext()));
}

describe('gitlab errors', () => {
  it('maps 403 with RateLimit-Remaining 0 to rate_limit until RateLimit-Reset, and any other 403 to auth', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 45);
    const limited = await failure({
      status: 403,
      headers: { 'ratelimit-limit': '2000', 'ratelimit-remaining': '0', 'ratelimit-reset': reset },
      body: { message: '403 Forbidden' },
    });
    expect(limited).toMatchObject({ kind: 'rate_limit', statusCode: 403, isRetryable: true });
    expect(limited.retryAfterMs).toBeGreaterThan(40_000);
    await server?.close();
    expect(await failure({ status: 403, body: { message: '403 Forbidden' } })).toMatchObject({
      kind: 'auth',
      statusCode: 403,
      isRetryable: false,
    });
  });

  it("quotes GitLab's 400 messages: a missing parameter and per-field validation errors", async () => {
    const route = 'POST /api/v4/projects/3/issues';
    const missing = await failure({ status: 400, body: errorBodies.missingParameter }, createIssue, route);
    expect(missing).toMatchObject({ kind: 'validation', statusCode: 400, isRetryable: false });
    expect(missing.message).toContain('title is missing');
    await server?.close();
    const invalid = await failure({ status: 400, body: errorBodies.invalidAttribute }, createIssue, route);
    expect(invalid).toMatchObject({ kind: 'validation', statusCode: 400, isRetryable: false });
    expect(invalid.message).toContain('title is too long (maximum is 255 characters)');
  });

  it('reports a response that lacks a field the provider reads as a provider error naming the field', async () => {
    const withoutUrl: Record<string, unknown> = { ...fixture('issue.json') };
    delete withoutUrl.web_url;
    const error = await failure({ body: withoutUrl });
    expect(error).toMatchObject({ kind: 'provider', provider: 'gitlab', isRetryable: false });
    expect(error.message).toContain('web_url');
  });

  it('refuses a cursor it did not issue with validation, before any request', async () => {
    server = await startFaultServer();
    const gitlab = createGitlab({ baseURL: server.url, token: TOKEN, allowPrivateNetwork: true });
    const searchIssues = { capability: 'issues', operation: 'searchIssues', input: { project: '3', cursor: '2' } } as const;
    await expect(gitlab.execute(searchIssues, createCallContext())).rejects.toMatchObject({ kind: 'validation', provider: 'gitlab' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('gitlab rate limits in the hub', () => {
  it('lowers headroom as RateLimit-Remaining drops, and pauses GitLab at 0 so the hub routes elsewhere', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 60);
    const limits = (remaining: number) => ({
      'ratelimit-limit': '2000',
      'ratelimit-remaining': String(remaining),
      'ratelimit-reset': reset,
    });
    const projects = [fixture('single-project.json')];
    server = await startFaultServer({
      'GET /api/v4/projects': [
        { headers: limits(100), body: projects },
        { headers: limits(0), body: projects },
      ],
    });
    const gitlab = createGitlab({ baseURL: server.url, token: TOKEN, allowPrivateNetwork: true });
    const spare = createMemoryIssuesProvider({ id: 'spare-issues' });
    // The spare stands in for GitLab, so this host lets issues fail over (a system of record does not by default).
    const hub = createHub({
      providers: [gitlab, spare],
      routing: { providers: { gitlab: { weight: 50 } }, policies: { issues: { write: 'primary', read: 'first-found' } } },
    });
    const listProjects = { capability: 'issues', operation: 'listProjects', input: {} } as const;
    const explain = () => hub.explain(listProjects).candidates.find((candidate) => candidate.provider === 'gitlab')!;
    expect(explain().headroom).toBe(1);
    expect((await hub.execute(listProjects)).provider).toBe('gitlab');
    expect(explain().headroom).toBeCloseTo(0.05);
    expect(explain().eligible).toBe(true);
    expect((await hub.execute(listProjects)).provider).toBe('gitlab');
    const usedUp = explain();
    expect(usedUp).toMatchObject({ eligible: false, headroom: 0 });
    expect(usedUp.reason).toMatch(/rate limit used up: 0 calls remaining/);
    expect(usedUp.pausedForMs).toBeGreaterThan(50_000);
    expect((await hub.execute(listProjects)).provider).toBe('spare-issues');
    expect(server.requests).toHaveLength(2);
  });
});
