import { IntegrationError, type ErrorKind, type RateLimitStatus } from '@switchyard/core';
import { createCallContext, startFaultServer, type FaultResponse, type FaultServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './__peers__/github-fake-data';
import { createGithub } from './index';

const token = 'ghp_planted_fault_token_0123456789';
let server: FaultServer;

beforeAll(async () => {
  server = await startFaultServer();
});

afterAll(async () => {
  await server?.close();
});

async function answerWith(response: FaultResponse, signal?: AbortSignal) {
  server.route('GET /repos/acme/website/issues/7', response);
  const reports: RateLimitStatus[] = [];
  const context = createCallContext({ reportRateLimit: (status) => reports.push(status), ...(signal === undefined ? {} : { signal }) });
  const outcome = await createGithub({ baseURL: server.url, token })
    .execute({ capability: 'issues', operation: 'getIssue', input: { project: 'acme/website', issueId: '7' } }, context)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  if (!IntegrationError.isInstance(outcome)) throw new Error(`expected an IntegrationError, got ${String(outcome)}`);
  return { error: outcome, reports };
}

const now = () => Math.floor(Date.now() / 1000);

describe('GitHub errors, from a fault-injecting server', () => {
  const table: [string, () => FaultResponse, ErrorKind, boolean][] = [
    ['401 Bad credentials', () => ({ status: 401, body: { message: 'Bad credentials' } }), 'auth', false],
    ['403 without a rate limit (missing scope)', () => ({ status: 403, body: { message: 'Resource not accessible by integration' } }), 'auth', false],
    ['404', () => ({ status: 404, body: { message: 'Not Found' } }), 'not_found', false],
    ['409', () => ({ status: 409, body: { message: 'Git Repository is empty.' } }), 'conflict', false],
    ['422 Validation Failed (recorded)', () => ({ status: 422, body: fixture('error-validation-failed') }), 'validation', false],
    ['500', () => ({ status: 500, body: { message: 'Server Error' } }), 'provider', true],
    ['502 with an HTML page', () => ({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' }), 'provider', true],
    ['a reset connection', () => ({ fault: 'reset' }), 'network', true],
  ];
  for (const [title, response, kind, retryable] of table) {
    it(`classifies ${title} as ${kind}${retryable ? ', retryable' : ''}`, async () => {
      const { error } = await answerWith(response());
      expect({ kind: error.kind, isRetryable: error.isRetryable, provider: error.provider, operation: error.operation }).toEqual({
        kind,
        isRetryable: retryable,
        provider: 'github',
        operation: 'issues.getIssue',
      });
      expect(JSON.stringify({ message: error.message, json: error.toJSON() })).not.toContain(token);
    });
  }

  it('names the field GitHub refused in a 422', async () => {
    const { error } = await answerWith({ status: 422, body: fixture('error-validation-failed') });
    expect(error.message).toBe('github: issues.getIssue failed with 422: Validation Failed: color invalid');
  });

  it('classifies a 403 secondary rate limit with retry-after as rate_limit, waiting as asked', async () => {
    const { error } = await answerWith({
      status: 403,
      headers: { 'retry-after': '60' },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
    });
    expect({ kind: error.kind, retryAfterMs: error.retryAfterMs, statusCode: error.statusCode }).toEqual({ kind: 'rate_limit', retryAfterMs: 60_000, statusCode: 403 });
  });

  it('classifies a 403 secondary rate limit without retry-after by its message', async () => {
    const { error } = await answerWith({ status: 403, body: { message: 'You have exceeded a secondary rate limit and have been temporarily blocked.' } });
    expect(error.kind).toBe('rate_limit');
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
    const core = await answerWith({ status: 404, headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4321', 'x-ratelimit-reset': reset, 'x-ratelimit-resource': 'core' }, body: { message: 'Not Found' } });
    expect(core.reports).toEqual([{ limit: 5000, remaining: 4321, resetAt: Number(reset) * 1000 }]);
  });

  it('classifies a 429 as rate_limit', async () => {
    const { error } = await answerWith({ status: 429, headers: { 'retry-after': '3' }, body: { message: 'Too many requests' } });
    expect({ kind: error.kind, retryAfterMs: error.retryAfterMs }).toEqual({ kind: 'rate_limit', retryAfterMs: 3000 });
  });

  it('classifies an aborted request as timeout, passing the hub’s signal to the request', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { error } = await answerWith({ fault: 'hang' }, controller.signal);
    expect(error.kind).toBe('timeout');
  });

  it('sends the token as "Authorization: token …" and no retry follows a 5xx', async () => {
    const before = server.requests.length;
    await answerWith({ status: 503, body: { message: 'Service Unavailable' } });
    const sent = server.requests.slice(before);
    expect(sent.map((request) => request.headers.authorization)).toEqual([`token ${token}`]);
  });
});
