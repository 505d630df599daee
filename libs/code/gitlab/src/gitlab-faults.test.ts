import { createHub, type IntegrationError } from '@switchyard/core';
import { createCallContext, createMemoryIssuesProvider, startFaultServer, type FaultResponse, type FaultServer } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from './__peers__/gitlab-fake-data';
import { createGitlab } from './index';

const ISSUE_PATH = '/api/v4/projects/3/issues/14';
const getIssue = { capability: 'issues', operation: 'getIssue', input: { project: '3', issueId: '14' } } as const;
const issueBody = fixture('issue.json');
let server: FaultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(answer: FaultResponse): Promise<IntegrationError> {
  server = await startFaultServer({ [`GET ${ISSUE_PATH}`]: answer });
  const gitlab = createGitlab({ baseURL: server.url, token: 'glpat-fault', allowPrivateNetwork: true });
  return gitlab.execute(getIssue, createCallContext()).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as IntegrationError,
  );
}

describe('gitlab error mapping', () => {
  it('maps a 5xx to a retryable provider error', async () => {
    expect(await failure({ status: 502, body: { message: '502 Bad Gateway' } })).toMatchObject({ kind: 'provider', statusCode: 502, isRetryable: true, provider: 'gitlab' });
  });

  it('maps 429 with Retry-After to rate_limit with the wait', async () => {
    expect(await failure({ status: 429, headers: { 'retry-after': '30' }, body: 'Retry later' })).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: 30_000 });
  });

  it('maps 403 with RateLimit-Remaining 0 to rate_limit until RateLimit-Reset, and any other 403 to auth', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 45);
    const limited = await failure({ status: 403, headers: { 'ratelimit-limit': '2000', 'ratelimit-remaining': '0', 'ratelimit-reset': reset }, body: { message: '403 Forbidden' } });
    expect(limited).toMatchObject({ kind: 'rate_limit', statusCode: 403 });
    expect(limited.retryAfterMs).toBeGreaterThan(40_000);
    await server?.close();
    expect(await failure({ status: 403, body: { message: '403 Forbidden' } })).toMatchObject({ kind: 'auth', statusCode: 403, isRetryable: false });
  });

  it('maps 400 and 422 to validation, quoting GitLab\'s message, and 409 to conflict', async () => {
    const missing = await failure({ status: 400, body: fixture<Record<string, unknown>>('errors.json').missingParameter });
    expect(missing).toMatchObject({ kind: 'validation', isRetryable: false });
    expect(missing.message).toContain('title is missing');
    await server?.close();
    expect(await failure({ status: 422, body: { message: 'Unprocessable Entity' } })).toMatchObject({ kind: 'validation', statusCode: 422 });
    await server?.close();
    expect(await failure({ status: 409, body: { message: 'Conflict' } })).toMatchObject({ kind: 'conflict', statusCode: 409 });
  });

  it('maps a reset connection to network and a malformed JSON body to provider', async () => {
    expect(await failure({ fault: 'reset' })).toMatchObject({ kind: 'network' });
    await server?.close();
    expect(await failure({ fault: 'malformed-json' })).toMatchObject({ kind: 'provider' });
  });

  it('reports a mapped response that lacks a field the provider reads as a provider error naming the field', async () => {
    const withoutUrl: Record<string, unknown> = { ...issueBody };
    delete withoutUrl.web_url;
    const error = await failure({ body: withoutUrl });
    expect(error).toMatchObject({ kind: 'provider' });
    expect(error.message).toContain('web_url');
  });
});

describe('gitlab rate limits in the hub', () => {
  it('lowers headroom as RateLimit-Remaining drops, and pauses GitLab at 0 so the hub routes elsewhere', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 60);
    const limits = (remaining: number) => ({ 'ratelimit-limit': '2000', 'ratelimit-remaining': String(remaining), 'ratelimit-reset': reset });
    const projects = [fixture('single-project.json')];
    server = await startFaultServer({ 'GET /api/v4/projects': [{ headers: limits(100), body: projects }, { headers: limits(0), body: projects }] });
    const gitlab = createGitlab({ baseURL: server.url, token: 'glpat-fault', allowPrivateNetwork: true });
    const spare = createMemoryIssuesProvider({ id: 'spare-issues' });
    const hub = createHub({ providers: [gitlab, spare], routing: { providers: { gitlab: { weight: 50 } } } });
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
