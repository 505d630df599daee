import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hmacSignature, IntegrationError } from '@switchyard/core';
import { createMemoryStore, createWebhookReceiver } from '@switchyard/platform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSlack } from './index';

// The worked example on https://api.slack.com/authentication/verifying-requests-from-slack: this signing secret,
// timestamp and slash-command body give exactly this signature.
const DOCUMENTED = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: readFileSync(new URL('__fixtures__/webhooks/signing-example.txt', import.meta.url), 'utf8'),
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const RECEIVED_AT = (Number(DOCUMENTED.timestamp) + 2) * 1000;
const SECRET = DOCUMENTED.secret;
const slack = createSlack({ token: 'xoxb-unused-0123456789', signingSecret: SECRET });

const fixture = (name: string) => readFileSync(new URL(`__fixtures__/webhooks/${name}`, import.meta.url), 'utf8');

function signed(body: string, timestamp = DOCUMENTED.timestamp, secret = SECRET) {
  return {
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': hmacSignature({ secret, payload: `v0:${timestamp}:${body}`, prefix: 'v0=' }),
  };
}

const interactivity = (payload: string) => `payload=${encodeURIComponent(payload)}`;

const rejectedAsAuth = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return IntegrationError.isInstance(error) && error.kind === 'auth' && !error.message.includes(SECRET);
  }
  return false;
};

describe('slack webhooks: verify with the documented signing example', () => {
  const verify = (
    headers: Record<string, string>,
    rawBody: string | Uint8Array = DOCUMENTED.body,
    receivedAt = RECEIVED_AT,
    secret = SECRET,
  ) => slack.webhooks.verify({ headers, rawBody, receivedAt }, secret);
  const documentedHeaders = { 'X-Slack-Request-Timestamp': DOCUMENTED.timestamp, 'X-Slack-Signature': DOCUMENTED.signature };

  it('accepts the documented request (as text or bytes): a slash command identified by its trigger_id', () => {
    const expected = { deliveryId: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c', providerEvent: 'slash_command' };
    expect(verify(documentedHeaders)).toEqual(expected);
    expect(verify(documentedHeaders, new TextEncoder().encode(DOCUMENTED.body))).toEqual(expected);
    expect(signed(DOCUMENTED.body)['x-slack-signature']).toBe(DOCUMENTED.signature);
  });

  it('rejects a stale timestamp (over five minutes old), a flipped byte, a wrong secret and missing headers with auth', () => {
    expect(rejectedAsAuth(() => verify(documentedHeaders, DOCUMENTED.body, (Number(DOCUMENTED.timestamp) + 301) * 1000))).toBe(true);
    expect(() => verify(documentedHeaders, DOCUMENTED.body, Date.now())).toThrow(/more than five minutes old/);
    const flippedBody = DOCUMENTED.body.replace('roadrunner', 'roadrunnes');
    expect(rejectedAsAuth(() => verify(documentedHeaders, flippedBody))).toBe(true);
    const flippedSignature = DOCUMENTED.signature.slice(0, -1) + (DOCUMENTED.signature.endsWith('3') ? '2' : '3');
    expect(rejectedAsAuth(() => verify({ ...documentedHeaders, 'X-Slack-Signature': flippedSignature }))).toBe(true);
    expect(rejectedAsAuth(() => verify({ ...documentedHeaders, 'X-Slack-Request-Timestamp': '1531420619' }))).toBe(true);
    expect(rejectedAsAuth(() => verify(documentedHeaders, DOCUMENTED.body, RECEIVED_AT, '8f742231b10e8888abcd99yyyzzz85a6'))).toBe(true);
    expect(rejectedAsAuth(() => verify({ 'X-Slack-Signature': DOCUMENTED.signature }))).toBe(true);
    expect(rejectedAsAuth(() => verify({ 'X-Slack-Request-Timestamp': DOCUMENTED.timestamp }))).toBe(true);
    expect(rejectedAsAuth(() => verify({ ...documentedHeaders, 'x-slack-signature': 'v0=0000' }))).toBe(true);
  });

  it('rejects a stale request even when its signature is valid for that old timestamp', () => {
    const old = String(Number(DOCUMENTED.timestamp) - 600);
    expect(() => verify(signed(DOCUMENTED.body, old))).toThrow(/more than five minutes/);
  });

  it('rejects, with zero false accepts, a fuzzed set of altered bodies, signatures, timestamps and secrets', () => {
    let accepted = 0;
    const mutateText = (text: string, index: number, code: number) => {
      const at = index % text.length;
      const replacement = String.fromCharCode(32 + (code % 95));
      return replacement === text[at] ? null : text.slice(0, at) + replacement + text.slice(at + 1);
    };
    fc.assert(
      fc.property(fc.constantFrom('body', 'signature', 'timestamp', 'secret'), fc.nat(), fc.nat(), (field, index, code) => {
        const candidate = { body: DOCUMENTED.body, signature: DOCUMENTED.signature, timestamp: DOCUMENTED.timestamp, secret: SECRET };
        const mutated = mutateText(candidate[field], index, code);
        // Upper-case hex digits count as an alteration: Slack's own verifiers refuse them too.
        fc.pre(mutated !== null);
        candidate[field] = mutated!;
        const run = () =>
          verify(
            { 'x-slack-request-timestamp': candidate.timestamp, 'x-slack-signature': candidate.signature },
            candidate.body,
            RECEIVED_AT,
            candidate.secret,
          );
        try {
          run();
          accepted += 1;
        } catch {
          // rejected, as it must be
        }
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBe(0);
  });

  it('rejects a verified event for another app when appId is set', () => {
    const body = fixture('app_mention.json');
    const pinned = createSlack({ token: 'xoxb-unused-0123456789', appId: 'A0OTHERAPP' });
    expect(rejectedAsAuth(() => pinned.webhooks.verify({ headers: signed(body), rawBody: body, receivedAt: RECEIVED_AT }, SECRET))).toBe(
      true,
    );
    const same = createSlack({ token: 'xoxb-unused-0123456789', appId: 'A0MDYCDME' });
    expect(same.webhooks.verify({ headers: signed(body), rawBody: body, receivedAt: RECEIVED_AT }, SECRET).deliveryId).toBe('Ev0LAN670R');
  });
});

describe('slack webhooks: through createWebhookReceiver', () => {
  const receiver = () =>
    createWebhookReceiver({ providers: [slack], secret: () => SECRET, store: createMemoryStore(), clock: () => RECEIVED_AT });

  it('accepts an Events API delivery once and dedupes its replay (Slack retries with the same event_id)', async () => {
    const shared = receiver();
    const body = fixture('app_mention.json');
    const first = await shared.receive({ provider: 'slack', headers: signed(body), rawBody: body });
    expect(first).toMatchObject({
      outcome: 'accepted',
      event: {
        provider: 'slack',
        deliveryId: 'Ev0LAN670R',
        providerEvent: 'app_mention',
        type: 'other',
        action: 'mentioned',
        sender: 'U061F7AUR',
      },
    });
    const retried = { ...signed(body), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };
    expect(await shared.receive({ provider: 'slack', headers: retried, rawBody: body })).toEqual({
      outcome: 'duplicate',
      deliveryId: 'Ev0LAN670R',
    });
  });

  it('answers url_verification with the challenge as text/plain', async () => {
    const body = fixture('url_verification.json');
    const receipt = await receiver().receive({ provider: 'slack', headers: signed(body), rawBody: body });
    expect(receipt).toMatchObject({
      outcome: 'accepted',
      event: { type: 'other', action: 'url_verification', providerEvent: 'url_verification' },
      reply: { status: 200, headers: { 'content-type': 'text/plain' }, body: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' },
    });
  });

  it('reads interactivity (form body payload=<json>): block_actions with the clicked button, identified by trigger_id', async () => {
    const body = interactivity(fixture('block_actions.json'));
    const shared = receiver();
    const receipt = await shared.receive({ provider: 'slack', headers: signed(body), rawBody: body });
    expect(receipt).toMatchObject({
      outcome: 'accepted',
      event: {
        deliveryId: '12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3',
        providerEvent: 'block_actions',
        type: 'other',
        action: 'clicked',
        sender: 'U123ABC456',
        payload: { actions: [{ value: 'rollback-42' }] },
      },
    });
    expect((await shared.receive({ provider: 'slack', headers: signed(body), rawBody: body })).outcome).toBe('duplicate');
  });

  it('falls back to the container message ts and the action ts when an interaction has no trigger_id', () => {
    const payload = JSON.parse(fixture('block_actions.json')) as Record<string, unknown>;
    delete payload.trigger_id;
    const body = interactivity(JSON.stringify(payload));
    expect(slack.webhooks.verify({ headers: signed(body), rawBody: body, receivedAt: RECEIVED_AT }, SECRET)).toEqual({
      deliveryId: '1548261231.000200:1548426417.840180',
      providerEvent: 'block_actions',
    });
  });

  it('identifies block_suggestion and view_closed (no trigger_id) by a hash of the signed content: only a replay is a duplicate', async () => {
    const shared = receiver();
    const contentId = (type: string, body: string, timestamp = DOCUMENTED.timestamp) =>
      `${type}:sha256:${createHash('sha256').update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const suggestion = interactivity(fixture('block_suggestion.json'));
    const request = { provider: 'slack', headers: signed(suggestion), rawBody: suggestion };
    expect(await shared.receive(request)).toMatchObject({
      outcome: 'accepted',
      event: {
        deliveryId: contentId('block_suggestion', suggestion),
        providerEvent: 'block_suggestion',
        sender: 'U123ABC456',
        payload: { action_id: 'release-select', value: 'v1.4' },
      },
    });
    expect(await shared.receive(request)).toEqual({ outcome: 'duplicate', deliveryId: contentId('block_suggestion', suggestion) });
    // The user types on, or types the same text again a second later: new requests, both answered.
    const typedOn = interactivity(fixture('block_suggestion.json').replace('"v1.4"', '"v1.45"'));
    expect((await shared.receive({ provider: 'slack', headers: signed(typedOn), rawBody: typedOn })).outcome).toBe('accepted');
    const secondLater = String(Number(DOCUMENTED.timestamp) + 1);
    expect((await shared.receive({ provider: 'slack', headers: signed(suggestion, secondLater), rawBody: suggestion })).outcome).toBe(
      'accepted',
    );
    const closed = interactivity(fixture('view_closed.json'));
    expect(await shared.receive({ provider: 'slack', headers: signed(closed), rawBody: closed })).toMatchObject({
      outcome: 'accepted',
      event: { deliveryId: contentId('view_closed', closed), providerEvent: 'view_closed', payload: { view: { id: 'V0PKB1ZFV' } } },
    });
  });

  it("takes the host's deliveryId for a signed body without an id of its own, and only then", async () => {
    const noId = JSON.stringify({ type: 'event_callback', api_app_id: 'A0MDYCDME', event: { type: 'message', user: 'U2147483697' } });
    expect(await receiver().receive({ provider: 'slack', headers: signed(noId), rawBody: noId, deliveryId: 'gateway-7f3a' })).toMatchObject(
      {
        outcome: 'accepted',
        event: { deliveryId: 'gateway-7f3a', providerEvent: 'message', sender: 'U2147483697' },
      },
    );
    const identified = fixture('app_mention.json');
    const receipt = await receiver().receive({
      provider: 'slack',
      headers: signed(identified),
      rawBody: identified,
      deliveryId: 'gateway-7f3b',
    });
    expect(receipt).toMatchObject({ outcome: 'accepted', event: { deliveryId: 'Ev0LAN670R' } });
  });

  it('rejects a wrong signature before recording the delivery, so the retry with the right one is accepted', async () => {
    const shared = receiver();
    const body = fixture('message.json');
    await expect(
      shared.receive({ provider: 'slack', headers: signed(body, DOCUMENTED.timestamp, 'not-the-signing-secret'), rawBody: body }),
    ).rejects.toMatchObject({ kind: 'auth' });
    expect((await shared.receive({ provider: 'slack', headers: signed(body), rawBody: body })).outcome).toBe('accepted');
  });

  it('identifies app_rate_limited, which has no event_id, by team and minute', () => {
    const body = JSON.stringify({
      token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
      type: 'app_rate_limited',
      team_id: 'T123456',
      minute_rate_limited: 1518467820,
      api_app_id: 'A123456',
    });
    expect(slack.webhooks.verify({ headers: signed(body), rawBody: body, receivedAt: RECEIVED_AT }, SECRET)).toEqual({
      deliveryId: 'app_rate_limited:T123456:1518467820',
      providerEvent: 'app_rate_limited',
    });
  });

  it('refuses a signed body it cannot identify or read with validation', async () => {
    const noId = JSON.stringify({ type: 'event_callback', event: { type: 'message' } });
    await expect(receiver().receive({ provider: 'slack', headers: signed(noId), rawBody: noId })).rejects.toMatchObject({
      kind: 'validation',
    });
    const badPayload = 'payload=%7Bnot-json';
    await expect(receiver().receive({ provider: 'slack', headers: signed(badPayload), rawBody: badPayload })).rejects.toMatchObject({
      kind: 'validation',
    });
  });
});

describe('slack webhooks: normalize', () => {
  const normalize = (providerEvent: string, payload: unknown) => slack.webhooks.normalize({ deliveryId: 'id', providerEvent }, payload);

  it('maps message events to other with created, edited or deleted, and keeps the author', () => {
    const message = JSON.parse(fixture('message.json')) as { event: Record<string, unknown> };
    expect(normalize('message', message)).toEqual({ type: 'other', action: 'created', sender: 'U2147483697' });
    expect(normalize('message', { ...message, event: { ...message.event, subtype: 'message_changed' } }).action).toBe('edited');
    expect(normalize('message', { ...message, event: { ...message.event, subtype: 'message_deleted' } }).action).toBe('deleted');
    expect(normalize('message', { ...message, event: { ...message.event, subtype: 'channel_join' } }).action).toBe('channel_join');
  });

  it('maps the documented slash command to its command and user', () => {
    expect(normalize('slash_command', Object.fromEntries(new URLSearchParams(DOCUMENTED.body)))).toEqual({
      type: 'other',
      action: '/webhook-collect',
      sender: 'U2CERLKJA',
    });
  });
});
