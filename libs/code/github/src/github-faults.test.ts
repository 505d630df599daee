import { IntegrationError, type RateLimitStatus } from '@switchyard/core';
import { createCallContext, startFaultServer, testProviderFaults, type FaultResponse, type FaultServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './__peers__/github-fake-data';
import { createGithub } from './index';

const token = 'ghp_planted_fault_token_0123456789';
const getIssue = { capability: 'issues', operation: 'getIssue', input: { project: 'acme/website', issueId: '7' } } as const;

testProviderFaults({
  provider: 'github',
  create: (baseURL) => createGithub({ baseURL, token }),
  request: getIssue,
  route: 'GET /repos/acme/website/issues/7',
  errorAnswer: (_status, message) => ({ body: { message, documentation_url: 'https://docs.github.com/rest' } }),
  secrets: [token],
});

// GitHub's own answers: rate limits hidden in 403s, its validation envelope, its x-ratelimit-* windows.
let server: FaultServer;

beforeAll(async () => {
  server = await startFaultServer();
});

afterAll(async () => {
  await server?.close();
});

async function answerWith(response: FaultResponse) {
  server.route('GET /repos/acme/website/issues/7', response);
  const reports: RateLimitStatus[] = [];
  const context = createCallContext({ reportRateLimit: (status) => reports.push(status) });
  const outcome = await createGithub({ baseURL: server.url, token, headers: { 'x-github-api-version': '2022-11-28' } })
    .execute(getIssue, context)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  if (!IntegrationError.isInstance(outcome)) throw new Error(`expected an IntegrationError, got ${String(outcome)}`);
  return { error: outcome, reports };
}

const now = () => Math.floor(Date.now() / 1000);

describe('GitHub errors, from a fault-injecting server', () => {
  it('classifies a 403 without a rate limit (a missing scope) as auth, not retryable', async () => {
    const { error } = await answerWith({ status: 403, body: { message: 'Resource not accessible by integration' } });
    expect({ kind: error.kind, isRetryable: error.isRetryable }).toEqual({ kind: 'auth', isRetryable: false });
  });

  it('classifies a 422 as validation, naming the field GitHub refused', async () => {
    const { error } = await answerWith({ status: 422, body: fixture('error-validation-failed') });
    expect({ kind: error.kind, isRetryable: error.isRetryable, message: error.message }).toEqual({
      kind: 'validation',
      isRetryable: false,
      message: 'github: issues.getIssue failed with 422: Validation Failed: color invalid',
    });
  });

  it('classifies a 403 secondary rate limit with retry-after as rate_limit, waiting as asked', async () => {
    const { error } = await answerWith({
      status: 403,
      headers: { 'retry-after': '60' },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
    });
    expect({ kind: error.kind, retryAfterMs: error.retryAfterMs, statusCode: error.statusCode }).toEqual({
      kind: 'rate_limit',
      retryAfterMs: 60_000,
      statusCode: 403,
    });
  });

  it('classifies a 403 secondary rate limit without retry-after by its message, without waiting for the primary window’s reset', async () => {
    const { error } = await answerWith({
      status: 403,
      headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4990', 'x-ratelimit-reset': String(now() + 3000) },
      body: { message: 'You have exceeded a secondary rate limit and have been temporarily blocked.' },
    });
    expect({ kind: error.kind, retryAfterMs: error.retryAfterMs }).toEqual({ kind: 'rate_limit', retryAfterMs: undefined });
  });

  it('classifies a 403 with x-ratelimit-remaining 0 as rate_limit until x-ratelimit-reset, and reports the used-up window', async () => {
    const reset = now() + 120;
    const { error, reports } = await answerWith({
      status: 403,
      headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: { message: 'API rate limit exceeded for user ID 1.' },
    });
    expect(error.kind).toBe('rate_limit');
    expect(error.retryAfterMs).toBeGreaterThan(110_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(120_000);
    expect(reports).toEqual([{ limit: 5000, remaining: 0, resetAt: reset * 1000 }]);
  });

  it('reports only the core window: a used-up search window (30 a minute) does not pause the whole provider', async () => {
    const reset = String(now() + 60);
    const { error, reports } = await answerWith({
      status: 403,
      headers: { 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset, 'x-ratelimit-resource': 'search' },
      body: { message: 'API rate limit exceeded for user ID 1.' },
    });
    expect(error.kind, 'the call itself is still a rate_limit').toBe('rate_limit');
    expect(reports).toEqual([]);
    const core = await answerWith({
      status: 404,
      headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4321', 'x-ratelimit-reset': reset, 'x-ratelimit-resource': 'core' },
      body: { message: 'Not Found' },
    });
    expect(core.reports).toEqual([{ limit: 5000, remaining: 4321, resetAt: Number(reset) * 1000 }]);
  });

  it('sends the token as "Authorization: token …" and the extra headers from settings', async () => {
    const before = server.requests.length;
    await answerWith({ status: 404, body: { message: 'Not Found' } });
    const sent = server.requests.slice(before);
    expect(sent.map((request) => [request.headers.authorization, request.headers['x-github-api-version']])).toEqual([
      [`token ${token}`, '2022-11-28'],
    ]);
  });

  it('lists no commits for an empty repository (GitHub’s 409 "Git Repository is empty.")', async () => {
    server.route('GET /repos/acme/empty/commits', { status: 409, body: { message: 'Git Repository is empty.' } });
    const listed = await createGithub({ baseURL: server.url, token }).execute(
      { capability: 'repositories', operation: 'listCommits', input: { repository: 'acme/empty' } },
      createCallContext(),
    );
    expect(listed).toEqual({ commits: [] });
  });
});
