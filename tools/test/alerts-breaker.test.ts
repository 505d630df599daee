/**
 * Issue 18's alert scenario: a provider's circuit breaker opens, and a HIGH
 * alert goes out through three channels — a signed outbound webhook, a
 * message through the hub's own messaging capability (Slack preferred but
 * failing, so Telegram delivers it) and an email over SMTP — and resolves
 * by itself, with a second round of notifications, once the breaker closes.
 * Every peer runs on 127.0.0.1: Slack is a scripted fault server, Telegram is
 * telegram-test-api, the webhook receiver is a node:http server and the mail
 * server is smtp-server.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHub, IntegrationError, type Hub, type ProviderV1 } from '@switchyard/core';
import { createMemoryStorageProvider } from '@switchyard/core/testing';
import {
  createAlerts,
  createEventLog,
  createMemoryStore,
  createWebhookSecret,
  emailChannel,
  messagingChannel,
  webhookChannel,
  type Alerts,
  type EventLog,
} from '@switchyard/platform';
import { createSlack } from '@switchyard/slack';
import { createTelegram } from '@switchyard/telegram';
import { findFreePort, startFaultServer, type FaultServer } from '@switchyard/testing';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import TelegramServer from 'telegram-test-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TELEGRAM_TOKEN = '123456789:AAAlertScenarioTokenForSwitchyard00';
const SLACK_TOKEN = 'xoxb-planted-000000000000-000000000000-alertsbreakerxyz';
const TEAM = { kind: 'channel', id: '@ops-team' } as const;
const COOLDOWN_MS = 200;

let slack: FaultServer | undefined;
let telegram: TelegramServer | undefined;
let receiver: Server | undefined;
let receiverUrl = '';
let smtp: SMTPServer | undefined;
let smtpPort = 0;
const posts: { headers: IncomingHttpHeaders; body: string }[] = [];
const mails: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  slack = await startFaultServer({ 'POST /api/chat.postMessage': { status: 503, body: 'upstream connect error' } });
  telegram = new TelegramServer({ port: await findFreePort(), host: '127.0.0.1', storage: 'RAM' });
  await telegram.start();
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posts.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData: (stream, _session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp?.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
}, 30_000);

afterAll(async () => {
  const steps = [
    ...cleanups.splice(0),
    async () => slack?.close(),
    async () => telegram?.stop(),
    () => new Promise((resolve) => (receiver === undefined ? resolve(undefined) : receiver.close(resolve))),
    () => new Promise((resolve) => (smtp === undefined ? resolve(undefined) : smtp.close(() => resolve(undefined)))),
  ];
  for (const step of steps) await step().catch(() => undefined);
}, 30_000);

/** A storage provider that fails every call with a network error until `recover()`. */
function flakyStorage(): { provider: ProviderV1; recover: () => void } {
  const base = createMemoryStorageProvider({ id: 'flaky-storage', buckets: ['assets'] });
  let failing = true;
  const provider: ProviderV1 = {
    ...base,
    execute: (request, context) =>
      failing
        ? Promise.reject(new IntegrationError({ kind: 'network', message: 'connect ECONNRESET', provider: 'flaky-storage' }))
        : base.execute(request, context),
  };
  return { provider, recover: () => void (failing = false) };
}

const putAsset = (hub: Hub, key: string) =>
  hub.storage.putObject({ bucket: 'assets', key, body: 'x', encoding: 'utf8' }).then(
    () => 'ok',
    () => 'failed',
  );

/** Telegram messages the bot sent, by text (telegram-test-api's message type comes from typegram, which it does not ship). */
const telegramTexts = (): string[] =>
  (telegram?.storage.botMessages ?? []).map((update) => {
    const text = (update.message as { text?: unknown }).text;
    return typeof text === 'string' ? text : '';
  });

describe('a breaker opening raises a HIGH alert on every channel and resolves when it closes', () => {
  it('delivers by webhook, by messaging (Slack failing, Telegram delivering) and by email, both ways', async () => {
    const flaky = flakyStorage();
    const hub = createHub({
      providers: [
        flaky.provider,
        createSlack({ token: SLACK_TOKEN, baseURL: `${slack?.url}/api/` }),
        createTelegram({ token: TELEGRAM_TOKEN, baseURL: telegram?.config.apiURL, allowPrivateNetwork: true }),
      ],
      routing: {
        retry: { retries: 0 },
        providers: { 'flaky-storage': { breaker: { consecutiveFailures: 2, cooldownMs: COOLDOWN_MS } } },
      },
    });
    cleanups.push(() => hub.close());
    const store = createMemoryStore();
    const secret = createWebhookSecret();
    const log: EventLog = createEventLog({ hub, store });
    cleanups.push(() => log.close());
    const alerts: Alerts = createAlerts({
      hub,
      store,
      rules: [{ kind: 'breakerOpen', name: 'provider-down', severity: 'high' }],
      channels: [
        webhookChannel({ url: receiverUrl, secret, allowPrivateNetwork: true, timeoutMs: 5_000 }),
        messagingChannel({ hub, to: TEAM, prefer: ['slack'], timeoutMs: 5_000 }),
        emailChannel({
          transport: { host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, connectionTimeout: 5_000 },
          from: 'switchyard@example.test',
          to: 'oncall@example.test',
        }),
      ],
    });
    cleanups.push(() => alerts.close());

    expect([await putAsset(hub, 'a'), await putAsset(hub, 'b')]).toEqual(['failed', 'failed']);
    expect(hub.metrics()['flaky-storage']?.breaker.state).toBe('open');
    await alerts.settled();

    const [raised] = await alerts.list({ open: true });
    expect(raised).toMatchObject({ rule: 'provider-down', severity: 'high', subject: { kind: 'provider', id: 'flaky-storage' } });
    // The webhook: one POST, signed with the channel's secret.
    expect(posts).toHaveLength(1);
    const verified = new Webhook(secret).verify(posts[0]?.body ?? '', posts[0]?.headers as Record<string, string>);
    expect(verified).toMatchObject({ type: 'alert.raised', data: { id: raised?.id, severity: 'high' } });
    // Messaging: Slack was asked and failed; Telegram delivered.
    expect(slack?.requests.filter((request) => request.pathname === '/api/chat.postMessage')).toHaveLength(1);
    expect(telegramTexts().filter((text) => text.includes('[HIGH] RAISED: provider-down on provider flaky-storage'))).toHaveLength(1);
    // Email.
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/Subject: \[HIGH\] RAISED: provider-down on provider flaky-storage/);

    flaky.recover();
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 50));
    expect(await putAsset(hub, 'c'), 'the half-open probe succeeds').toBe('ok');
    expect(hub.metrics()['flaky-storage']?.breaker.state).toBe('closed');
    await alerts.settled();

    expect(await alerts.list({ open: true })).toEqual([]);
    expect(await alerts.list()).toEqual([expect.objectContaining({ id: raised?.id, status: 'resolved', resolvedBy: 'auto' })]);
    expect(posts).toHaveLength(2);
    expect(new Webhook(secret).verify(posts[1]?.body ?? '', posts[1]?.headers as Record<string, string>)).toMatchObject({
      type: 'alert.resolved',
      data: { id: raised?.id, status: 'resolved' },
    });
    expect(telegramTexts().filter((text) => text.includes('RESOLVED: provider-down'))).toHaveLength(1);
    expect(mails).toHaveLength(2);
    expect(mails[1]).toMatch(/Subject: \[HIGH\] RESOLVED: provider-down/);

    // The event log holds the breaker's changes and the alert's life, and no delivery failed.
    await log.flush();
    const breakerChanges = await log.query({ type: 'hub.breaker', limit: 100 });
    expect(breakerChanges.map((event) => event.payload['to']).reverse()).toEqual(['open', 'half-open', 'closed']);
    expect((await log.query({ type: 'alert.raised' })).length).toBe(1);
    expect((await log.query({ type: 'alert.resolved' })).length).toBe(1);
    expect(await log.query({ type: 'alert.delivery_failed' })).toEqual([]);
    expect(JSON.stringify(await store.events.listRecent({ limit: 1000 }))).not.toContain(SLACK_TOKEN);
  });
});
