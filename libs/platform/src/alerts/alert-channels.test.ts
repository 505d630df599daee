import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHub, type ProviderRequest } from '@switchyard/core';
import { createLeakyFailingProvider, createMemoryMessagingProvider } from '@switchyard/core/testing';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSecret } from '../webhooks/webhook-secret';
import { emailChannel, messagingChannel, webhookChannel } from './alert-channels';
import type { AlertNotification } from './alert-types';

const NOTIFICATION: AlertNotification = {
  event: 'raised',
  alert: {
    id: 'a1b2c3',
    rule: 'breakerOpen',
    kind: 'breakerOpen',
    severity: 'high',
    subject: { kind: 'provider', id: 'flaky' },
    message: 'Circuit breaker of provider "flaky" is open: 5 consecutive failures.',
    status: 'open',
    raisedAt: '2026-01-02T03:04:05.000Z',
  },
};

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let http: Server;
let httpUrl: string;
const received: Received[] = [];
let nextStatus = 204;

interface Mail {
  readonly from: string;
  readonly to: string[];
  readonly raw: string;
}
let smtp: SMTPServer;
let smtpPort: number;
const mails: Mail[] = [];
const SMTP_PASSWORD = 'planted-smtp-password-3141';

beforeAll(async () => {
  http = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(nextStatus).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth: (auth, _session, callback) => {
      if (auth.password === 'right') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelope = session.envelope;
        mails.push({
          from: envelope.mailFrom === false ? '' : envelope.mailFrom.address,
          to: envelope.rcptTo.map((address) => address.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await Promise.all([
    new Promise((resolve) => http?.close(resolve)).catch(() => undefined),
    new Promise((resolve) => smtp?.close(() => resolve(undefined))).catch(() => undefined),
  ]);
});

describe('webhookChannel', () => {
  it('POSTs the alert as JSON, signed so that standardwebhooks verifies it', async () => {
    const secret = createWebhookSecret();
    nextStatus = 204;
    await webhookChannel({ url: `${httpUrl}/hooks/alerts`, secret, allowPrivateNetwork: true }).send(NOTIFICATION);
    const request = received.at(-1);
    expect(request?.path).toBe('/hooks/alerts');
    const verified = new Webhook(secret).verify(request?.body ?? '', request?.headers as Record<string, string>) as {
      type: string;
      data: { id: string; severity: string };
    };
    expect(verified).toMatchObject({ type: 'alert.raised', data: { id: 'a1b2c3', severity: 'high' } });
    expect(() => new Webhook(createWebhookSecret()).verify(request?.body ?? '', request?.headers as Record<string, string>)).toThrow();
  });

  it('sends unsigned without a secret', async () => {
    nextStatus = 200;
    await webhookChannel({ url: httpUrl, allowPrivateNetwork: true }).send({ ...NOTIFICATION, event: 'resolved' });
    const request = received.at(-1);
    expect(request?.headers['webhook-signature']).toBeUndefined();
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ type: 'alert.resolved' });
  });

  it('fails on a non-2xx answer, naming the host but not the URL’s token', async () => {
    nextStatus = 500;
    const channel = webhookChannel({ url: `${httpUrl}/hook?token=planted-url-token-2718`, allowPrivateNetwork: true });
    const failure = await channel.send(NOTIFICATION).then(
      () => undefined,
      (error: unknown) => error as Error & { kind?: string },
    );
    expect(failure).toMatchObject({ kind: 'provider' });
    expect(failure?.message).toContain('HTTP 500');
    expect(failure?.message).not.toContain('planted-url-token');
  });

  it('refuses a loopback URL unless the private network is allowed, and a malformed secret at once', async () => {
    await expect(webhookChannel({ url: httpUrl }).send(NOTIFICATION)).rejects.toMatchObject({ kind: 'validation' });
    expect(() => webhookChannel({ url: httpUrl, secret: 'not-a-secret' })).toThrow(/whsec_/);
  });
});

describe('messagingChannel', () => {
  it('sends through the hub’s messaging capability, failing over from the preferred provider', async () => {
    const sent: ProviderRequest[] = [];
    const memory = createMemoryMessagingProvider({ id: 'telegram' });
    const hub = createHub({
      providers: [
        createLeakyFailingProvider(createMemoryMessagingProvider({ id: 'slack' }), 'xoxb-planted-slack-token-1'),
        { ...memory, execute: (request, context) => (sent.push(request), memory.execute(request, context)) },
      ],
      routing: { retry: { retries: 0 } },
    });
    await messagingChannel({ hub, to: { kind: 'channel', id: 'C-general' }, prefer: ['slack'] }).send(NOTIFICATION);
    expect(sent).toHaveLength(1);
    const input = sent[0]?.input as { recipient: unknown; text: string };
    expect(input.recipient).toEqual({ kind: 'channel', id: 'C-general' });
    expect(input.text).toContain('[HIGH] RAISED: breakerOpen on provider flaky');
    expect(input.text).toContain('5 consecutive failures');
    await hub.close();
  });
});

describe('emailChannel', () => {
  it('mails the alert over SMTP', async () => {
    const channel = emailChannel({
      transport: { host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true },
      from: 'alerts@example.test',
      to: ['ops@example.test', 'oncall@example.test'],
    });
    await channel.send(NOTIFICATION);
    const mail = mails.at(-1);
    expect(mail?.from).toBe('alerts@example.test');
    expect(mail?.to).toEqual(['ops@example.test', 'oncall@example.test']);
    expect(mail?.raw).toMatch(/Subject: \[HIGH\] RAISED: breakerOpen on provider flaky/);
    expect(mail?.raw).toContain('5 consecutive failures');
  });

  it('fails with an auth error that never holds the password', async () => {
    const channel = emailChannel({
      transport: { host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, auth: { user: 'ops', pass: SMTP_PASSWORD } },
      from: 'alerts@example.test',
      to: 'ops@example.test',
    });
    const failure = await channel.send(NOTIFICATION).then(
      () => undefined,
      (error: unknown) => error as Error & { kind?: string },
    );
    expect(failure).toMatchObject({ kind: 'auth' });
    expect(JSON.stringify({ message: failure?.message, failure })).not.toContain(SMTP_PASSWORD);
  });
});
