import { createHub, type HubEvents, type IntegrationError } from '@switchyard/core';
import {
  createCallContext,
  createMemoryMessagingProvider,
  startFaultServer,
  testProviderFaults,
  type FaultResponse,
  type FaultServer,
  integrationErrorOf,
} from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from './__peers__/slack-fake';
import { createSlack } from './index';

const TOKEN = 'xoxb-4213780951-7309441856112-Zq8rTfW2pLk9mXc3VbN6dYh1';
const send = {
  capability: 'messaging',
  operation: 'sendMessage',
  input: { recipient: { kind: 'channel', id: 'C012AB3CD' }, text: 'Deploy 42 finished' },
} as const;

// The shared cases (429 with Retry-After in seconds and as a date, 500, 502, 503, 401, 404, a reset, a truncated
// body, a hang past the deadline), each answered in Slack's envelope: `{ ok: false, error }`. A 429 reaches the
// provider as the SDK's rejected rate-limited call (`rejectRateLimitedCalls`), or, with a date in Retry-After that
// the SDK cannot read, as a plain Error; either way the status and headers of the answer classify it.
testProviderFaults({
  provider: 'slack',
  create: (baseURL) => createSlack({ baseURL: `${baseURL}/api/`, token: TOKEN }),
  request: send,
  route: 'POST /api/chat.postMessage',
  errorAnswer: (status, message) => ({ body: { ok: false, error: message.toLowerCase().replaceAll(' ', '_') } }),
  secrets: [TOKEN],
});

let server: FaultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(answer: FaultResponse): Promise<IntegrationError> {
  server = await startFaultServer({ 'POST /api/chat.postMessage': answer });
  const slack = createSlack({ baseURL: `${server.url}/api/`, token: TOKEN });
  return integrationErrorOf(slack.execute(send, createCallContext()));
}

describe('slack error codes', () => {
  const platform = (error: string) => failure({ body: { ok: false, error } });

  // Hinted codes change the answer the status (HTTP 200 → provider) would give; the rest keep it.
  it.each([
    ['channel_not_found', 'not_found'],
    ['user_not_found', 'not_found'],
    ['message_not_found', 'not_found'],
    ['invalid_auth', 'auth'],
    ['not_authed', 'auth'],
    ['token_revoked', 'auth'],
    ['account_inactive', 'auth'],
    ['missing_scope', 'auth'],
    ['not_in_channel', 'auth'],
    ['invalid_blocks', 'validation'],
    ['msg_too_long', 'validation'],
    ['no_text', 'validation'],
    ['ratelimited', 'rate_limit'],
    ['fatal_error', 'provider'],
    ['internal_error', 'provider'],
    ['service_unavailable', 'provider'],
    ['a_code_slack_adds_later', 'provider'],
  ])('maps HTTP 200 {ok:false, error:"%s"} to %s, naming the code', async (code, kind) => {
    const error = await platform(code);
    expect(error).toMatchObject({
      kind,
      provider: 'slack',
      operation: 'messaging.sendMessage',
      statusCode: 200,
      details: { method: 'chat.postMessage', slackError: code },
    });
    expect(error.message).toContain(code);
    expect(error.isRetryable).toBe(kind === 'provider' || kind === 'rate_limit');
  });

  it('reads the code in the body of another status too: HTTP 400 channel_not_found is not_found', async () => {
    expect(await failure({ status: 400, body: { ok: false, error: 'channel_not_found' } })).toMatchObject({
      kind: 'not_found',
      statusCode: 400,
      details: { slackError: 'channel_not_found' },
    });
  });

  it('maps a 429 without a usable Retry-After to rate_limit without a wait, after one request', async () => {
    const error = await failure({ status: 429, headers: { 'retry-after': 'soon' }, body: { ok: false, error: 'ratelimited' } });
    expect(error).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: undefined });
    expect(server?.requests).toHaveLength(1);
  });

  it('maps an HTTP 200 body that is not a Slack answer to provider without quoting it', async () => {
    const error = await failure({
      headers: { 'content-type': 'text/html' },
      body: '<html><body>Slack is down for maintenance</body></html>',
    });
    expect(error).toMatchObject({ kind: 'provider', statusCode: 200, isRetryable: true });
    expect(error.message).not.toContain('maintenance');
  });

  it('reports a result without the message ts as a provider error naming the field', async () => {
    const error = await failure({ body: { ok: true, channel: 'C012AB3CD' } });
    expect(error).toMatchObject({ kind: 'provider', provider: 'slack', operation: 'messaging.sendMessage' });
    expect(error.message).toContain('"ts"');
  });

  it('aborts only the call whose signal fired when calls run side by side', async () => {
    server = await startFaultServer({
      'POST /api/chat.postMessage': { delayMs: 300, body: { ok: true, channel: 'C012AB3CD', ts: '1503435956.000247' } },
    });
    const slack = createSlack({ baseURL: `${server.url}/api/`, token: TOKEN });
    const controller = new AbortController();
    const aborted = slack.execute(send, createCallContext({ signal: controller.signal }));
    const kept = slack.execute(send, createCallContext());
    setTimeout(() => controller.abort(), 50);
    await expect(aborted).rejects.toMatchObject({ kind: 'timeout' });
    await expect(kept).resolves.toMatchObject({ messageId: '1503435956.000247' });
  });

  it('maps an abort with a reason that is not an error to timeout', async () => {
    server = await startFaultServer({ 'POST /api/chat.postMessage': { fault: 'hang' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort('the caller gave up'), 50);
    await expect(
      createSlack({ baseURL: `${server.url}/api/`, token: TOKEN }).execute(send, createCallContext({ signal: controller.signal })),
    ).rejects.toMatchObject({ kind: 'timeout' });
  });
});

describe('slack rate limits in the hub', () => {
  let fake: SlackFake;
  beforeAll(async () => {
    fake = await startSlackFake({ token: TOKEN });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('answers 429 Retry-After: 30 → rate_limit with retryAfterMs 30000, and the hub pauses Slack and sends elsewhere', async () => {
    const ratelimits: HubEvents['ratelimit'][] = [];
    const spare = createMemoryMessagingProvider({
      id: 'spare-messaging',
      channels: [{ id: 'C012AB3CD', name: 'general', isPrivate: false }],
    });
    const hub = createHub({
      providers: [createSlack({ baseURL: fake.url, token: TOKEN }), spare],
      routing: { providers: { slack: { weight: 50 } } },
      events: { ratelimit: (event) => ratelimits.push(event) },
    });
    const explain = () =>
      hub.explain({ capability: 'messaging', operation: 'sendMessage' }).candidates.find((candidate) => candidate.provider === 'slack');
    try {
      fake.rateLimitNext('chat.postMessage', 30);
      const direct = await createSlack({ baseURL: fake.url, token: TOKEN })
        .execute(send, createCallContext())
        .catch((error: unknown) => error as IntegrationError);
      expect(direct).toMatchObject({ kind: 'rate_limit', retryAfterMs: 30_000 });

      expect(explain()).toMatchObject({ eligible: true });
      fake.rateLimitNext('chat.postMessage', 30);
      const before = fake.requests.length;
      const result = await hub.execute(send);
      expect(result.provider, 'the message went out once, elsewhere').toBe('spare-messaging');
      expect(fake.requests.length - before, 'Slack was asked once').toBe(1);
      const paused = explain();
      expect(paused?.eligible).toBe(false);
      expect(paused?.pausedForMs).toBeGreaterThan(25_000);
      expect(paused?.pausedForMs).toBeLessThanOrEqual(30_000);
      expect(ratelimits).toContainEqual(expect.objectContaining({ provider: 'slack' }));
      expect((await hub.execute(send)).provider, 'Slack is skipped while paused').toBe('spare-messaging');
      expect(fake.requests.length - before).toBe(1);
    } finally {
      await hub.close();
    }
  });
});
