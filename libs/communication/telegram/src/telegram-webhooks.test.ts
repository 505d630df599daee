import { readFileSync } from 'node:fs';
import { IntegrationError } from '@switchyard/core';
import { createMemoryStore, createWebhookReceiver } from '@switchyard/platform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTelegram } from './index';

const SECRET = 'telegram-webhook-secret_7f3a9c';
const telegram = createTelegram({ token: '123456789:AAUnusedTokenForWebhookTests', webhookSecret: SECRET });
/** The fixtures' messages were sent at 2026-01-01T00:00:00Z (1767225600); the receiver's clock is a minute later. */
const NOW = 1_767_225_660_000;

function payload(name: string): string {
  return readFileSync(new URL(`__fixtures__/updates/${name}`, import.meta.url), 'utf8');
}

/** Headers as Telegram sends them (https://core.telegram.org/bots/api#setwebhook). */
function headers(token: string | null = SECRET): Record<string, string> {
  return { 'content-type': 'application/json', ...(token === null ? {} : { 'x-telegram-bot-api-secret-token': token }) };
}

function receiver() {
  return createWebhookReceiver({ providers: [telegram], secret: () => SECRET, store: createMemoryStore(), clock: () => NOW });
}

const rejectedAsAuth = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return IntegrationError.isInstance(error) && error.kind === 'auth' && !error.message.includes(SECRET);
  }
  return false;
};

const verify = (rawBody: string, requestHeaders: Record<string, string>, receivedAt = NOW) =>
  telegram.webhooks.verify({ headers: requestHeaders, rawBody, receivedAt }, SECRET);

describe('Telegram webhook verification', () => {
  it('accepts an update with the secret token, keyed by update_id and named by its kind', () => {
    expect(verify(payload('command-start.json'), headers())).toEqual({ deliveryId: '900000001', providerEvent: 'message' });
    expect(verify(payload('callback-query.json'), headers())).toEqual({ deliveryId: '900000004', providerEvent: 'callback_query' });
  });

  it.each([
    ['a wrong secret', headers('not-the-secret')],
    ['one flipped byte', headers(`${SECRET.slice(0, -1)}${SECRET.endsWith('c') ? 'd' : 'c'}`)],
    ['no header', headers(null)],
    ['an empty header', headers('')],
  ])('rejects %s with auth, never naming the secret', (_title, requestHeaders) => {
    expect(rejectedAsAuth(() => verify(payload('message.json'), requestHeaders))).toBe(true);
  });

  it('rejects when no secret is configured', () => {
    expect(() => telegram.webhooks.verify({ headers: headers(), rawBody: payload('message.json') }, '')).toThrow(IntegrationError);
  });

  it('rejects a stale update (message date more than webhookMaxAgeSeconds away) and accepts within the window', () => {
    const dayLater = NOW + 86_400_000 + 120_000;
    expect(rejectedAsAuth(() => verify(payload('message.json'), headers(), dayLater))).toBe(true);
    // edited_message is dated by edit_date.
    expect(verify(payload('edited-message.json'), headers(), 1_767_225_700_000 + 86_000_000)).toMatchObject({
      providerEvent: 'edited_message',
    });
    // A callback query has no date of its own: the message it belongs to may be old.
    expect(verify(payload('callback-query.json'), headers(), dayLater)).toMatchObject({ providerEvent: 'callback_query' });
    const unchecked = createTelegram({ token: '123456789:AAUnused', webhookMaxAgeSeconds: 0 });
    expect(unchecked.webhooks.verify({ headers: headers(), rawBody: payload('message.json'), receivedAt: dayLater }, SECRET)).toMatchObject(
      { deliveryId: '900000002' },
    );
  });

  it('refuses a body without update_id as validation', () => {
    expect(() => verify('{"message":{}}', headers())).toThrow(expect.objectContaining({ kind: 'validation' }) as Error);
    expect(() => verify('not json', headers())).toThrow(expect.objectContaining({ kind: 'validation' }) as Error);
  });

  it('normalizes commands, messages, edits and callbacks', async () => {
    const cases: [string, string][] = [
      ['command-start.json', 'command:start'],
      ['message.json', 'message'],
      ['edited-message.json', 'edited'],
      ['callback-query.json', 'callback'],
    ];
    const webhookReceiver = receiver();
    for (const [name, action] of cases) {
      const receipt = await webhookReceiver.receive({ provider: 'telegram', headers: headers(), rawBody: payload(name) });
      expect(receipt).toMatchObject({ outcome: 'accepted', event: { type: 'other', action, sender: 'ada' } });
    }
  });

  it('deduplicates a replayed update_id through the receiver', async () => {
    const webhookReceiver = receiver();
    const body = payload('command-start.json');
    await expect(webhookReceiver.receive({ provider: 'telegram', headers: headers(), rawBody: body })).resolves.toMatchObject({
      outcome: 'accepted',
    });
    await expect(webhookReceiver.receive({ provider: 'telegram', headers: headers(), rawBody: body })).resolves.toEqual({
      outcome: 'duplicate',
      deliveryId: '900000001',
    });
  });

  it('accepts no fuzzed secret token other than the real one (0 false accepts)', () => {
    const body = payload('message.json');
    let accepted = 0;
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 64 }), (candidate) => {
        fc.pre(candidate !== SECRET);
        if (!rejectedAsAuth(() => verify(body, headers(candidate)))) accepted += 1;
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.nat({ max: SECRET.length - 1 }), fc.integer({ min: 1, max: 127 }), (index, flip) => {
        const mutated = `${SECRET.slice(0, index)}${String.fromCharCode(SECRET.charCodeAt(index) ^ flip)}${SECRET.slice(index + 1)}`;
        if (!rejectedAsAuth(() => verify(body, headers(mutated)))) accepted += 1;
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBe(0);
  });
});
