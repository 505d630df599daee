import { redact, redactText } from '@switchyard/core';
import { createCallContext, expectSecretsKeptPrivately, testProvider } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from './__peers__/slack-fake';
import { createSlack } from './index';

// Settings and the wire format, on the stateful Web API fake (__peers__/slack-fake.ts) alone. The messaging contract
// suite runs in slack-prism.test.ts, through Prism checking every exchange against Slack's OpenAPI description.
const TOKEN = 'xoxb-fake-0123456789';
let fake: SlackFake;

beforeAll(async () => {
  fake = await startSlackFake({ token: TOKEN });
});
afterAll(async () => {
  await fake.close();
});

const create = () => createSlack({ baseURL: fake.url, token: TOKEN });

testProvider({ id: 'slack', category: 'communication', create: () => createSlack({ token: TOKEN }) });

describe('createSlack settings', () => {
  const names = ['SLACK_API_URL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_DEFAULT_CHANNEL'] as const;
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('talks to https://slack.com/api/ by default, else SLACK_API_URL, else settings, always ending in a slash', () => {
    delete process.env.SLACK_API_URL;
    expect(createSlack().baseURL).toBe('https://slack.com/api/');
    process.env.SLACK_API_URL = 'http://127.0.0.1:9/from-environment';
    expect(createSlack().baseURL).toBe('http://127.0.0.1:9/from-environment/');
    expect(createSlack({ baseURL: 'http://127.0.0.1:9/api/' }).baseURL).toBe('http://127.0.0.1:9/api/');
  });

  it('reads the token, signing secret and default channel from settings or the environment', () => {
    for (const name of names) delete process.env[name];
    expect(createSlack().isConfigured()).toBe(false);
    expect(redactText('signing-secret-from-environment', createSlack().secrets)).toBe('signing-secret-from-environment');
    process.env.SLACK_BOT_TOKEN = TOKEN;
    process.env.SLACK_SIGNING_SECRET = 'signing-secret-from-environment';
    process.env.SLACK_DEFAULT_CHANNEL = 'C061EG9T2';
    const slack = createSlack();
    expect([slack.isConfigured(), slack.defaultChannel]).toEqual([true, 'C061EG9T2']);
    expect(redactText('signed with signing-secret-from-environment', slack.secrets), 'kept in its secrets').toBe('signed with [REDACTED]');
    expect(createSlack({ defaultChannel: 'C012AB3CD' }).defaultChannel).toBe('C012AB3CD');
  });

  it('holds its secrets in its secret set, never in a property', () => {
    const planted = { token: 'xoxb-planted-token-0123456789', signingSecret: 'planted-signing-secret-8d2f' };
    const slack = createSlack(planted);
    expectSecretsKeptPrivately(slack, Object.values(planted));
    expect('signingSecret' in slack).toBe(false);
  });

  it('keeps a token read from SLACK_BOT_TOKEN in its secrets once it is used', async () => {
    for (const name of names) delete process.env[name];
    process.env.SLACK_BOT_TOKEN = TOKEN;
    const slack = createSlack({ baseURL: fake.url });
    expect(slack.secrets?.size).toBe(0);
    await slack.healthCheck({ signal: new AbortController().signal });
    expect(slack.secrets?.size).toBe(1);
  });

  it('hides Slack’s token formats and the X-Slack-Signature header', () => {
    const slack = createSlack();
    const tokens = ['xoxb-1234567890-0987654321-AbCdEfGh', 'xoxp-1234-5678-abcdef', 'xoxa-2-abcdefghijkl'];
    expect(redactText(`echoed ${tokens.join(' ')}`, slack.secrets)).toBe('echoed [REDACTED] [REDACTED] [REDACTED]');
    expect(redact({ 'X-Slack-Signature': 'v0=abc123' }, slack.secrets)).toEqual({ 'X-Slack-Signature': '[REDACTED]' });
  });

  it('fails with auth naming SLACK_BOT_TOKEN without a token, and maps a rejected token to auth', async () => {
    delete process.env.SLACK_BOT_TOKEN;
    const send = {
      capability: 'messaging',
      operation: 'sendMessage',
      input: { recipient: { kind: 'channel', id: 'C012AB3CD' }, text: 'hi' },
    } as const;
    await expect(createSlack({ baseURL: fake.url }).execute(send, createCallContext())).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('SLACK_BOT_TOKEN') as unknown,
    });
    const wrong = createSlack({ baseURL: fake.url, token: 'xoxb-wrong-0123456789' });
    await expect(wrong.execute(send, createCallContext())).rejects.toMatchObject({
      kind: 'auth',
      isRetryable: false,
      message: expect.stringContaining('invalid_auth') as unknown,
    });
    await expect(wrong.healthCheck({ signal: new AbortController().signal })).rejects.toMatchObject({ kind: 'auth' });
    await create().healthCheck({ signal: new AbortController().signal });
  });
});

describe('slack messaging on the wire', () => {
  const call = (operation: string, input: unknown) => create().execute({ capability: 'messaging', operation, input }, createCallContext());

  it('POSTs form bodies to <baseURL><method> with the token as a bearer header, blocks as Block Kit JSON and text as the fallback', async () => {
    const before = fake.requests.length;
    const blocks = [
      { type: 'section', text: 'Deploy *42* finished' },
      { type: 'divider' },
      { type: 'context', elements: ['main'] },
      {
        type: 'actions',
        buttons: [
          { text: 'Open', value: 'open-42', url: 'https://ci.example.com/42' },
          { text: 'Roll back', value: 'rollback-42' },
        ],
      },
    ];
    await call('sendMessage', { recipient: { kind: 'channel', id: 'C061EG9T2' }, text: 'Deploy 42 finished', blocks });
    const [sent] = fake.requests.slice(before);
    expect(sent).toMatchObject({
      method: 'chat.postMessage',
      contentType: 'application/x-www-form-urlencoded',
      authorization: `Bearer ${TOKEN}`,
      args: { channel: 'C061EG9T2', text: 'Deploy 42 finished' },
    });
    expect(sent?.args.token).toBeUndefined();
    expect(JSON.parse(sent?.args.blocks ?? 'null')).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Deploy *42* finished' } },
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'main' }] },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'button-0',
            text: { type: 'plain_text', text: 'Open', emoji: true },
            value: 'open-42',
            url: 'https://ci.example.com/42',
          },
          { type: 'button', action_id: 'button-1', text: { type: 'plain_text', text: 'Roll back', emoji: true }, value: 'rollback-42' },
        ],
      },
    ]);
  });

  it('uses the message ts as the id and turns it into an ISO timestamp', async () => {
    const sent = (await call('sendMessage', { recipient: { kind: 'channel', id: 'C012AB3CD' }, text: 'ts check' })) as {
      messageId: string;
      timestamp: string;
    };
    expect(sent.messageId).toMatch(/^\d+\.\d{6}$/);
    expect(sent.timestamp).toBe(
      new Date(Number(sent.messageId.split('.')[0]) * 1000 + Math.floor(Number(sent.messageId.split('.')[1]) / 1000)).toISOString(),
    );
  });

  it('sends a direct message to a user id (Slack answers with the DM channel) and refuses phone and chat recipients as unsupported', async () => {
    const sent = (await call('sendMessage', { recipient: { kind: 'user', id: 'W012A3CDE' }, text: 'psst' })) as { channelId: string };
    expect(sent.channelId).toBe('D012A3CDE');
    const before = fake.requests.length;
    await expect(call('sendMessage', { recipient: { kind: 'phone', number: '+14155550123' }, text: 'sms?' })).rejects.toMatchObject({
      kind: 'unsupported',
      isRetryable: false,
    });
    await expect(call('sendMessage', { recipient: { kind: 'chat', id: '-1001234567890' }, text: 'telegram?' })).rejects.toMatchObject({
      kind: 'unsupported',
    });
    expect(fake.requests.length).toBe(before);
  });

  it('maps the documented users and channels: display name first, handle, email, privacy, Slack cursors', async () => {
    expect(await call('getUser', { userId: 'W012A3CDE' })).toEqual({
      id: 'W012A3CDE',
      name: 'spengler',
      handle: 'spengler',
      email: 'spengler@ghostbusters.example.com',
      isBot: false,
    });
    const users = (await call('listUsers', { limit: 1 })) as { users: { id: string; name: string }[]; nextCursor?: string };
    expect(users.users).toEqual([expect.objectContaining({ id: 'W012A3CDE' })]);
    expect(Buffer.from(users.nextCursor ?? '', 'base64').toString()).toBe('user:W07QCRPA4');
    const rest = (await call('listUsers', { limit: 1, cursor: users.nextCursor })) as {
      users: { id: string; name: string }[];
      nextCursor?: string;
    };
    expect(rest).toEqual({
      users: [{ id: 'W07QCRPA4', name: 'Glinda the Fairly Good', handle: 'glinda', email: 'glenda@south.oz.coven', isBot: false }],
    });
    expect(await call('listChannels', {})).toEqual({
      channels: [
        { id: 'C012AB3CD', name: 'general', isPrivate: false },
        { id: 'C061EG9T2', name: 'random', isPrivate: false },
      ],
    });
    expect(fake.requests.at(-1)?.args).toMatchObject({ types: 'public_channel,private_channel', exclude_archived: 'true', limit: '100' });
  });

  it('maps channel_not_found to not_found, naming the Slack error code', async () => {
    await expect(call('sendMessage', { recipient: { kind: 'channel', id: 'C0NOSUCH' }, text: 'lost' })).rejects.toMatchObject({
      kind: 'not_found',
      provider: 'slack',
      message: expect.stringContaining('channel_not_found') as unknown,
    });
  });
});
