import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { messagingV1 } from './messaging';

const { operations } = messagingV1;

/** The distinct paths of the issues a schema reports for `input`, joined with dots. */
function issuePaths(schema: z.ZodType, input: unknown): string[] {
  const paths = (schema.safeParse(input).error?.issues ?? []).map((issue) => issue.path.map(String).join('.'));
  return [...new Set(paths)];
}

describe('messaging v1 recipients', () => {
  it.each([
    ['a Slack channel', { kind: 'channel', id: 'C0123ABCD' }],
    ['a Telegram chat', { kind: 'chat', id: '-1001234567890' }],
    ['a Telegram channel by name', { kind: 'chat', id: '@acme_news' }],
    ['a phone number', { kind: 'phone', number: '+14155550123' }],
    ['a user', { kind: 'user', id: 'U0123ABCD' }],
  ])('accepts %s', (_name, recipient) => {
    expect(issuePaths(operations.sendMessage.input, { recipient, text: 'Deploy finished' })).toEqual([]);
  });

  it.each([
    ['a number without +', '14155550123'],
    ['a number starting with 0', '+04155550123'],
    ['more than 15 digits', '+1234567890123456'],
    ['spaces', '+1 415 555 0123'],
    ['letters', '+1415CALLNOW'],
  ])('rejects a phone number with %s', (_problem, number) => {
    expect(issuePaths(operations.sendMessage.input, { recipient: { kind: 'phone', number }, text: 'hi' })).toEqual(['recipient.number']);
  });

  it('rejects unknown recipient kinds, empty ids and fields of another kind', () => {
    const send = (recipient: unknown) => issuePaths(operations.sendMessage.input, { recipient, text: 'hi' });
    expect(send({ kind: 'email', id: 'a@example.com' })).toEqual(['recipient.kind']);
    expect(send({ kind: 'channel', id: '' })).toEqual(['recipient.id']);
    expect(send({ kind: 'phone', id: '+14155550123' })).toContain('recipient.number');
  });
});

describe('messaging v1 content', () => {
  const recipient = { kind: 'channel', id: 'C0123ABCD' };

  it('accepts text with every kind of block', () => {
    const blocks = [
      { type: 'section', text: '*Deploy* finished' },
      { type: 'divider' },
      { type: 'context', elements: ['build 42', 'main'] },
      {
        type: 'actions',
        buttons: [
          { text: 'Roll back', value: 'rollback-42' },
          { text: 'Open', value: 'open', url: 'https://ci.acme.example/42' },
        ],
      },
    ];
    expect(issuePaths(operations.sendMessage.input, { recipient, text: 'Deploy finished', blocks })).toEqual([]);
  });

  it('requires a non-empty text even when blocks are given', () => {
    expect(issuePaths(operations.sendMessage.input, { recipient, text: '' })).toEqual(['text']);
    expect(issuePaths(operations.sendMessage.input, { recipient, blocks: [{ type: 'divider' }] })).toEqual(['text']);
  });

  it('names the bad block field', () => {
    const send = (blocks: unknown) => issuePaths(operations.sendMessage.input, { recipient, text: 'hi', blocks });
    expect(send([{ type: 'video' }])).toEqual(['blocks.0.type']);
    expect(send([{ type: 'divider' }, { type: 'context', elements: [] }])).toEqual(['blocks.1.elements']);
    expect(send([{ type: 'actions', buttons: [{ text: 'Go', value: 'x'.repeat(65) }] }])).toEqual(['blocks.0.buttons.0.value']);
    expect(send([{ type: 'actions', buttons: [{ text: 'Go', value: 'go', url: 'javascript:alert(1)' }] }])).toEqual([
      'blocks.0.buttons.0.url',
    ]);
  });

  it('takes no idempotency key as input: it is a call option', () => {
    expect(issuePaths(operations.sendMessage.input, { recipient, text: 'hi', idempotencyKey: 'k' })).toEqual(['']);
  });

  it('addresses updates and deletes by channel and message id', () => {
    expect(issuePaths(operations.updateMessage.input, { channelId: 'C1', messageId: '1700000000.000100', text: 'v2' })).toEqual([]);
    expect(issuePaths(operations.deleteMessage.input, { channelId: 'C1' })).toEqual(['messageId']);
    expect(issuePaths(operations.replyInThread.input, { channelId: 'C1', threadId: '', text: 'hi' })).toEqual(['threadId']);
  });

  it('bounds list limits to 1–1000 and defaults to 100', () => {
    expect(operations.listChannels.input.parse({}).limit).toBe(100);
    expect(issuePaths(operations.listUsers.input, { limit: 0 })).toEqual(['limit']);
    expect(issuePaths(operations.listUsers.input, { limit: 1001 })).toEqual(['limit']);
  });
});

describe('messaging v1 outputs', () => {
  const message = { messageId: '1700000000.000100', channelId: 'C1', text: 'hi', timestamp: '2023-11-14T22:13:20.000Z' };

  it('accepts a Slack, a Telegram and an SMS message', () => {
    expect(issuePaths(operations.sendMessage.output, message)).toEqual([]);
    expect(issuePaths(operations.sendMessage.output, { ...message, messageId: '42', channelId: '-1001234567890' })).toEqual([]);
    expect(issuePaths(operations.sendMessage.output, { ...message, messageId: 'SM0123456789abcdef', channelId: '+14155550123' })).toEqual(
      [],
    );
  });

  it('rejects a Slack ts as the timestamp and a reply without its thread', () => {
    expect(issuePaths(operations.sendMessage.output, { ...message, timestamp: '1700000000.000100' })).toEqual(['timestamp']);
    expect(issuePaths(operations.replyInThread.output, message)).toEqual(['threadId']);
  });

  it('rejects a user with an invalid email', () => {
    expect(issuePaths(operations.getUser.output, { id: 'U1', name: 'Ada', email: 'not-an-email' })).toEqual(['email']);
  });
});

describe('messaging v1 hints', () => {
  it.each([
    ['sendMessage', { readOnly: false, destructive: false, idempotent: false }],
    ['replyInThread', { readOnly: false, destructive: false, idempotent: false }],
    ['updateMessage', { readOnly: false, destructive: true, idempotent: true }],
    ['deleteMessage', { readOnly: false, destructive: true, idempotent: false }],
    ['listChannels', { readOnly: true, destructive: false, idempotent: true }],
    ['getUser', { readOnly: true, destructive: false, idempotent: true }],
    ['listUsers', { readOnly: true, destructive: false, idempotent: true }],
  ] as const)('%s is %o', (name, hints) => {
    expect(operations[name].hints).toEqual(hints);
  });
});
