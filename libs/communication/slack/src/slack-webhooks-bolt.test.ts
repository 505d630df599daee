import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createSlack } from './index';

// The same requests go to Bolt for JavaScript's own verifier (`isValidSlackRequest`, what its receivers call with
// the header's timestamp as a number) and to the provider's `webhooks.verify`. Requests are signed here with
// node:crypto, independently of the code under test.

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
/** Not on a whole second, so the five-minute edge is where Bolt puts it (it floors now to seconds). */
const NOW = Date.parse('2026-01-02T03:04:05.250Z');
const NOW_SECONDS = Math.floor(NOW / 1000);
const slack = createSlack({ token: 'xoxb-unused-0123456789', signingSecret: SECRET });

const fixture = (name: string) => readFileSync(new URL(`__fixtures__/webhooks/${name}`, import.meta.url), 'utf8');
const interactivity = (name: string) => `payload=${encodeURIComponent(fixture(name))}`;
const sign = (timestamp: string, body: string, secret = SECRET) =>
  `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

interface SlackRequest {
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
}

function request(options: { secondsFromNow?: number; body?: string; secret?: string } = {}): SlackRequest {
  const timestamp = String(NOW_SECONDS + (options.secondsFromNow ?? 0));
  const body = options.body ?? interactivity('block_actions.json');
  return { timestamp, body, signature: sign(timestamp, body, options.secret) };
}

function boltAccepts({ timestamp, signature, body }: SlackRequest): boolean {
  return isValidSlackRequest({
    signingSecret: SECRET,
    body,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
    nowMilliseconds: NOW,
  });
}

function providerAccepts({ timestamp, signature, body }: SlackRequest): boolean {
  const headers = { 'X-Slack-Request-Timestamp': timestamp, 'X-Slack-Signature': signature };
  try {
    slack.webhooks.verify({ headers, rawBody: body, receivedAt: NOW }, SECRET);
    return true;
  } catch {
    return false;
  }
}

const upperCaseDigest = (signed: SlackRequest): SlackRequest => ({ ...signed, signature: `v0=${signed.signature.slice(3).toUpperCase()}` });

describe('slack webhooks: the same answer as Bolt for JavaScript', () => {
  it.each<[string, SlackRequest, boolean]>([
    ['a fresh block_actions request', request(), true],
    ['the documented slash command, freshly signed', request({ body: fixture('signing-example.txt') }), true],
    ['an Events API event', request({ body: fixture('app_mention.json') }), true],
    ['block_suggestion (options load), which has no trigger_id', request({ body: interactivity('block_suggestion.json') }), true],
    ['view_closed, which has no trigger_id', request({ body: interactivity('view_closed.json') }), true],
    ['a timestamp ten minutes in the future', request({ secondsFromNow: 600 }), true],
    ['a timestamp a day in the future', request({ secondsFromNow: 86_400 }), true],
    ['a timestamp exactly five minutes old (in whole seconds)', request({ secondsFromNow: -300 }), true],
    ['a timestamp five minutes and one second old', request({ secondsFromNow: -301 }), false],
    ['a timestamp an hour old', request({ secondsFromNow: -3_600 }), false],
    ['an upper-case hex digest', upperCaseDigest(request()), false],
    ['a signature under another secret', request({ secret: `${SECRET}x` }), false],
    ['a body changed after signing', { ...request(), body: `${request().body}&x=1` }, false],
  ])('%s', (_, slackRequest, accepted) => {
    expect(boltAccepts(slackRequest)).toBe(accepted);
    expect(providerAccepts(slackRequest)).toBe(accepted);
  });

  // Where the provider is stricter, on purpose (docs/providers/slack.md, "Where it differs from Bolt"): requests
  // Slack itself never sends, which Bolt accepts because of how it reads the headers.
  it('differs only on spellings Slack never sends: text after the digest, a timestamp that is not plain digits', () => {
    const signed = request();
    const trailingText = { ...signed, signature: `${signed.signature}=ignored` };
    expect(boltAccepts(trailingText)).toBe(true); // Bolt splits the header on '=' and ignores the rest
    expect(providerAccepts(trailingText)).toBe(false);
    const leadingZero = { ...signed, timestamp: `0${signed.timestamp}` };
    expect(boltAccepts(leadingZero)).toBe(true); // Bolt signs over Number(header), not the header as sent
    expect(providerAccepts(leadingZero)).toBe(false);
  });
});
