import { createHub, type HubEvents, type IntegrationError } from '@switchyard/core';
import { createCallContext, createMemoryMessagingProvider, startFaultServer, type FaultResponse, type FaultServer } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from './__peers__/slack-fake';
import { createSlack } from './index';

const TOKEN = 'xoxb-fault-0123456789';
const send = { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'channel', id: 'C012AB3CD' }, text: 'Deploy 42 finished' } } as const;
let server: FaultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(answer: FaultResponse): Promise<IntegrationError> {
  server = await startFaultServer({ 'POST /api/chat.postMessage': answer });
  const slack = createSlack({ baseURL: `${server.url}/api/`, token: TOKEN });
  return slack.execute(send, createCallContext()).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as IntegrationError,
  );
}

describe('slack error mapping', () => {
  const platform = (error: string) => failure({ body: { ok: false, error } });

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
  ])('maps HTTP 200 {ok:false, error:"%s"} to %s, quoting the code', async (code, kind) => {
    const error = await platform(code);
    expect(error).toMatchObject({ kind, provider: 'slack', operation: 'messaging.sendMessage', statusCode: 200 });
    expect(error.message).toContain(code);
    expect(error.isRetryable).toBe(kind === 'provider' || kind === 'rate_limit');
  });

  it('maps 429 with Retry-After to rate_limit with the wait, after one request (the SDK does not retry or wait)', async () => {
    expect(await failure({ status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } })).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: 30_000 });
    expect(server?.requests).toHaveLength(1);
  });

  it('maps a 429 without a usable Retry-After to rate_limit without a wait', async () => {
    const error = await failure({ status: 429, headers: { 'retry-after': 'soon' }, body: { ok: false, error: 'ratelimited' } });
    expect(error).toMatchObject({ kind: 'rate_limit', statusCode: 429, retryAfterMs: undefined });
  });

  it('aborts only the call whose signal fired when calls run side by side', async () => {
    server = await startFaultServer({ 'POST /api/chat.postMessage': { delayMs: 300, body: { ok: true, channel: 'C012AB3CD', ts: '1503435956.000247' } } });
    const slack = createSlack({ baseURL: `${server.url}/api/`, token: TOKEN });
    const controller = new AbortController();
    const aborted = slack.execute(send, createCallContext({ signal: controller.signal }));
    const kept = slack.execute(send, createCallContext());
    setTimeout(() => controller.abort(), 50);
    await expect(aborted).rejects.toMatchObject({ kind: 'timeout' });
    await expect(kept).resolves.toMatchObject({ messageId: '1503435956.000247' });
  });

  it('maps a 5xx to a retryable provider error, sent once', async () => {
    expect(await failure({ status: 503, body: 'Service Unavailable' })).toMatchObject({ kind: 'provider', statusCode: 503, isRetryable: true });
    expect(server?.requests).toHaveLength(1);
  });

  it('maps a reset connection to network and a body that is not JSON to provider', async () => {
    expect(await failure({ fault: 'reset' })).toMatchObject({ kind: 'network' });
    await server?.close();
    expect(await failure({ fault: 'malformed-json' })).toMatchObject({ kind: 'provider' });
  });

  it('reports a result without the message ts as a provider error naming the field', async () => {
    const error = await failure({ body: { ok: true, channel: 'C012AB3CD' } });
    expect(error).toMatchObject({ kind: 'provider' });
    expect(error.message).toContain('ts');
  });

  it("aborts the request when the call's signal fires (the signal reaches the SDK's fetch)", async () => {
    server = await startFaultServer({ 'POST /api/chat.postMessage': { delayMs: 5_000, body: { ok: true } } });
    const slack = createSlack({ baseURL: `${server.url}/api/`, token: TOKEN });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await expect(slack.execute(send, createCallContext({ signal: controller.signal }))).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('never puts the token in an error message', async () => {
    const error = await platform('invalid_auth');
    expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(TOKEN);
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
    const spare = createMemoryMessagingProvider({ id: 'spare-messaging', channels: [{ id: 'C012AB3CD', name: 'general', isPrivate: false }] });
    const hub = createHub({ providers: [createSlack({ baseURL: fake.url, token: TOKEN }), spare], routing: { providers: { slack: { weight: 50 } } }, events: { ratelimit: (event) => ratelimits.push(event) } });
    const explain = () => hub.explain({ capability: 'messaging', operation: 'sendMessage' }).candidates.find((candidate) => candidate.provider === 'slack');
    try {
      fake.rateLimitNext('chat.postMessage', 30);
      const direct = await createSlack({ baseURL: fake.url, token: TOKEN }).execute(send, createCallContext()).catch((error: unknown) => error as IntegrationError);
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
