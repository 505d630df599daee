/**
 * Issue 7's failover scenario: "notify the team" with Slack preferred. Slack
 * answers 429 with a Retry-After longer than the caller's deadline, so
 * waiting is pointless: the router sends the message on Telegram instead,
 * exactly once, and says so in events. Slack is a loopback server scripted
 * with Slack's real 429 answer; Telegram is telegram-test-api, a Bot API
 * emulation.
 */
import { createHub, type HubEvents } from '@switchyard/core';
import { createSlack } from '@switchyard/slack';
import { createTelegram } from '@switchyard/telegram';
import { findFreePort, startFaultServer, type FaultServer } from '@switchyard/testing';
import TelegramServer from 'telegram-test-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TELEGRAM_TOKEN = '123456789:AAFailoverScenarioTokenForSwitchyard';
/** A Telegram channel username; Slack also accepts a channel name where it takes a channel id. */
const TEAM = { kind: 'channel', id: '@ops-team' } as const;

let slack: FaultServer;
let telegram: TelegramServer;

beforeAll(async () => {
  slack = await startFaultServer({
    'POST /api/chat.postMessage': { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } },
  });
  telegram = new TelegramServer({ port: await findFreePort(), host: '127.0.0.1', storage: 'RAM' });
  await telegram.start();
});

afterAll(async () => {
  await Promise.all([slack?.close(), telegram?.stop()]);
});

describe('notifying the team when Slack is rate limited past the deadline', () => {
  it('sends the message once, on Telegram, and the events show the failover and the pause', async () => {
    const failovers: HubEvents['failover'][] = [];
    const ratelimits: HubEvents['ratelimit'][] = [];
    const requests: HubEvents['request'][] = [];
    const hub = createHub({
      providers: [
        createSlack({ token: 'xoxb-planted-000000000000-000000000000-abcdefghijklmnopqrstuvwx', baseURL: `${slack.url}/api/` }),
        createTelegram({ token: TELEGRAM_TOKEN, baseURL: telegram.config.apiURL, allowPrivateNetwork: true }),
      ],
      events: {
        failover: (event) => failovers.push(event),
        ratelimit: (event) => ratelimits.push(event),
        request: (event) => requests.push(event),
      },
    });
    const startedAt = Date.now();
    const sent = await hub.messaging.sendMessage(
      { recipient: TEAM, text: 'Deploy 42 failed on main' },
      { prefer: ['slack'], timeoutMs: 2_000 },
    );
    expect(Date.now() - startedAt, 'nobody waited out the 30 s Retry-After').toBeLessThan(2_000);
    expect(sent.text).toBe('Deploy 42 failed on main');

    // Slack was asked once and not again; Telegram delivered exactly one message.
    expect(slack.requests.filter((request) => request.pathname === '/api/chat.postMessage')).toHaveLength(1);
    // telegram-test-api's message type comes from typegram, which it does not ship: read the one field needed.
    const delivered = telegram.storage.botMessages.filter(
      (update) => (update.message as { text?: unknown }).text === 'Deploy 42 failed on main',
    );
    expect(delivered).toHaveLength(1);

    expect(failovers).toEqual([
      expect.objectContaining({
        from: 'slack',
        to: 'telegram',
        operation: 'sendMessage',
        error: expect.objectContaining({ kind: 'rate_limit' }) as unknown,
      }),
    ]);
    expect(ratelimits).toContainEqual(expect.objectContaining({ provider: 'slack', action: 'paused' }));
    expect(requests).toEqual([expect.objectContaining({ outcome: 'success', provider: 'telegram', attempts: 2 })]);
    const slackNow = hub
      .explain({ capability: 'messaging', operation: 'sendMessage' })
      .candidates.find((candidate) => candidate.provider === 'slack');
    expect(slackNow).toMatchObject({ eligible: false });
    expect(slackNow?.reason).toMatch(/Retry-After/);
    await hub.close();
  });
});
