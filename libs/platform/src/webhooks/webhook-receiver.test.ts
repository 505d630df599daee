import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EventBus, IntegrationError, SecretSet, type HubEvents } from '@switchyard/core';
import { createMemoryStore, createWebhookReceiver } from '../index';
import {
  githubHeaders,
  githubSchemeProvider,
  githubSchemeWebhooks,
  PLANTED_SECRET,
  receiverUnderTest,
  rejectionOf,
  TEST_PROVIDER_ID,
} from './test-fixtures';

const rawBody = JSON.stringify(
  { action: 'opened', issue: { number: 7, title: 'Broken link' }, repository: { full_name: 'acme/website' }, sender: { login: 'octocat' } },
  null,
  2,
);

function flipByte(text: string, index: number): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  bytes[index] = bytes[index]! ^ 0x01;
  return bytes;
}

describe('createWebhookReceiver', () => {
  it('accepts a correctly signed delivery and returns the normalized event with the payload kept', async () => {
    const { receiver, events } = receiverUnderTest();
    const receipt = await receiver.receive({
      provider: TEST_PROVIDER_ID,
      headers: githubHeaders(rawBody, { deliveryId: 'delivery-1' }),
      rawBody,
    });
    expect(receipt).toEqual({
      outcome: 'accepted',
      event: {
        provider: TEST_PROVIDER_ID,
        deliveryId: 'delivery-1',
        providerEvent: 'issues',
        type: 'issue',
        action: 'opened',
        repository: 'acme/website',
        sender: 'octocat',
        receivedAt: '2026-01-02T03:04:05.000Z',
        payload: JSON.parse(rawBody) as unknown,
      },
    });
    expect(events).toEqual([
      {
        type: 'webhook.received',
        payload: {
          provider: TEST_PROVIDER_ID,
          integrationId: undefined,
          deliveryId: 'delivery-1',
          providerEvent: 'issues',
          type: 'issue',
          action: 'opened',
        },
      },
    ]);
  });

  it('accepts the body as bytes (a Buffer) as well as text', async () => {
    const { receiver } = receiverUnderTest();
    const bytes = Buffer.from(rawBody, 'utf8');
    const receipt = await receiver.receive({ provider: TEST_PROVIDER_ID, headers: githubHeaders(bytes), rawBody: bytes });
    expect(receipt.outcome).toBe('accepted');
  });

  it('answers a replayed delivery id with duplicate, once accepted, and records it per provider and integration', async () => {
    const store = createMemoryStore();
    const { receiver, events } = receiverUnderTest({ store });
    const request = {
      provider: TEST_PROVIDER_ID,
      integrationId: 'integration-1',
      headers: githubHeaders(rawBody, { deliveryId: 'delivery-2' }),
      rawBody,
    };
    expect((await receiver.receive(request)).outcome).toBe('accepted');
    expect(await receiver.receive(request)).toEqual({ outcome: 'duplicate', deliveryId: 'delivery-2' });
    expect(await store.webhookDeliveries.has(TEST_PROVIDER_ID, 'delivery-2')).toBe(true);
    expect(events.map((event) => event.type)).toEqual(['webhook.received', 'webhook.duplicate']);
    expect(events[1]!.payload).toEqual({
      provider: TEST_PROVIDER_ID,
      integrationId: 'integration-1',
      deliveryId: 'delivery-2',
      providerEvent: 'issues',
    });
  });

  it.each([
    ['a flipped byte in the body', { rawBody: flipByte(rawBody, 20) }],
    ['a byte appended to the body', { rawBody: `${rawBody}\n` }],
    ['the body re-serialized as JSON', { rawBody: JSON.stringify(JSON.parse(rawBody)) }],
  ])('rejects %s with auth', async (_, change) => {
    const { receiver, events } = receiverUnderTest();
    const error = await rejectionOf(receiver.receive({ provider: TEST_PROVIDER_ID, headers: githubHeaders(rawBody), ...change }));
    expect(error).toMatchObject({ kind: 'auth', message: 'X-Hub-Signature-256 does not match the body' });
    expect(events).toEqual([
      {
        type: 'webhook.rejected',
        payload: {
          provider: TEST_PROVIDER_ID,
          integrationId: undefined,
          deliveryId: undefined,
          error: { kind: 'auth', message: 'X-Hub-Signature-256 does not match the body' },
        },
      },
    ]);
  });

  it('rejects a flipped signature digit, a missing or doubled signature header, and a wrong secret with auth', async () => {
    const { receiver } = receiverUnderTest();
    const headers = githubHeaders(rawBody);
    const signature = headers['x-hub-signature-256'] as string;
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    const unsigned = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'x-hub-signature-256'));
    const attempts = [
      { ...headers, 'x-hub-signature-256': flipped },
      unsigned,
      { ...headers, 'x-hub-signature-256': [signature, signature.replace(/.$/, '0')] },
      githubHeaders(rawBody, { secret: 'another-secret-entirely' }),
    ];
    for (const attempt of attempts) {
      expect((await rejectionOf(receiver.receive({ provider: TEST_PROVIDER_ID, headers: attempt, rawBody }))).kind).toBe('auth');
    }
    const missing = await rejectionOf(receiver.receive({ provider: TEST_PROVIDER_ID, headers: unsigned, rawBody }));
    expect(missing.message).toBe('the X-Hub-Signature-256 header is missing');
  });

  it('does not use up the delivery id of a rejected request, so the genuine one is still accepted', async () => {
    const { receiver } = receiverUnderTest();
    const headers = githubHeaders(rawBody, { deliveryId: 'delivery-3' });
    await rejectionOf(receiver.receive({ provider: TEST_PROVIDER_ID, headers, rawBody: `${rawBody} ` }));
    expect((await receiver.receive({ provider: TEST_PROVIDER_ID, headers, rawBody })).outcome).toBe('accepted');
  });

  it('refuses a parsed object with validation, asking for the raw body', async () => {
    const { receiver, events } = receiverUnderTest();
    const parsed = JSON.parse(rawBody) as unknown;
    const error = await rejectionOf(
      receiver.receive({ provider: TEST_PROVIDER_ID, headers: githubHeaders(rawBody), rawBody: parsed as string }),
    );
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('pass the raw body');
    expect(events[0]).toMatchObject({ type: 'webhook.rejected', payload: { error: { kind: 'validation' } } });
  });

  it('refuses a signed body that is not JSON with validation, without quoting it', async () => {
    const { receiver } = receiverUnderTest();
    const notJson = 'payload=%7B%22action%22%3A%22opened%22%7D';
    const error = await rejectionOf(
      receiver.receive({ provider: TEST_PROVIDER_ID, headers: githubHeaders(notJson, { deliveryId: 'form' }), rawBody: notJson }),
    );
    expect(error).toMatchObject({
      kind: 'validation',
      message: `the webhook body for provider "${TEST_PROVIDER_ID}" is not valid UTF-8 JSON`,
    });
    const invalidUtf8 = new Uint8Array([0x22, 0xff, 0x22]);
    const bytesError = await rejectionOf(
      receiver.receive({ provider: TEST_PROVIDER_ID, headers: githubHeaders(invalidUtf8), rawBody: invalidUtf8 }),
    );
    expect(bytesError.kind).toBe('validation');
  });

  it('answers not_found for an unknown provider and unsupported for one without webhooks', async () => {
    const { receiver } = receiverUnderTest({
      providers: [githubSchemeProvider(), githubSchemeProvider({ id: 'no-hooks', webhooks: undefined })],
    });
    expect(await rejectionOf(receiver.receive({ provider: 'gitlab', headers: {}, rawBody }))).toMatchObject({ kind: 'not_found' });
    expect(await rejectionOf(receiver.receive({ provider: 'no-hooks', headers: {}, rawBody }))).toMatchObject({
      kind: 'unsupported',
      provider: 'no-hooks',
    });
  });

  it('finds providers through a lookup such as hub.registry and emits into an EventBus', async () => {
    const bus = new EventBus<HubEvents>();
    const received: HubEvents['webhook.received'][] = [];
    bus.on('webhook.received', (event) => received.push(event));
    const provider = githubSchemeProvider();
    const receiver = createWebhookReceiver({
      providers: { get: (id) => (id === TEST_PROVIDER_ID ? provider : undefined) },
      secret: () => Promise.resolve(PLANTED_SECRET),
      store: createMemoryStore(),
      events: bus,
    });
    await receiver.receive({ provider: TEST_PROVIDER_ID, headers: githubHeaders(rawBody), rawBody });
    expect(received).toHaveLength(1);
  });

  it('asks for the secret per provider and integration, and rejects an empty one with auth', async () => {
    const asked: unknown[] = [];
    const { receiver } = receiverUnderTest({ secret: (providerId, integrationId) => (asked.push([providerId, integrationId]), '') });
    const error = await rejectionOf(
      receiver.receive({ provider: TEST_PROVIDER_ID, integrationId: 'integration-9', headers: githubHeaders(''), rawBody: '' }),
    );
    expect(error.kind).toBe('auth');
    expect(asked).toEqual([[TEST_PROVIDER_ID, 'integration-9']]);
  });

  it('treats a plain error from verify as auth and an error from normalize as validation', async () => {
    const throwing = githubSchemeProvider({
      webhooks: {
        verify: () => {
          throw new TypeError('cannot read signature');
        },
        normalize: () => ({ type: 'other' }),
      },
    });
    const unreadable = githubSchemeProvider({
      id: 'unreadable',
      webhooks: {
        verify: () => ({ deliveryId: 'd', providerEvent: 'issues' }),
        normalize: () => {
          throw new TypeError('no repository');
        },
      },
    });
    const store = createMemoryStore();
    const { receiver } = receiverUnderTest({ providers: [throwing, unreadable], store });
    expect((await rejectionOf(receiver.receive({ provider: TEST_PROVIDER_ID, headers: {}, rawBody }))).kind).toBe('auth');
    expect((await rejectionOf(receiver.receive({ provider: 'unreadable', headers: {}, rawBody }))).kind).toBe('validation');
    expect(await store.webhookDeliveries.has('unreadable', 'd')).toBe(false);
  });

  it('never puts the secret or the payload in thrown errors or emitted events, even when a provider leaks the secret', async () => {
    const leaky = githubSchemeProvider({
      id: 'leaky',
      webhooks: {
        verify: (_, secret) => {
          throw new Error(`signature mismatch: expected HMAC with key ${secret}`);
        },
        normalize: () => ({ type: 'other' }),
      },
    });
    const { receiver, events } = receiverUnderTest({ providers: [githubSchemeProvider(), leaky] });
    const errors = [
      await rejectionOf(receiver.receive({ provider: 'leaky', headers: githubHeaders(rawBody), rawBody })),
      await rejectionOf(receiver.receive({ provider: TEST_PROVIDER_ID, headers: githubHeaders(rawBody), rawBody: `${rawBody} ` })),
      await rejectionOf(receiver.receive({ provider: TEST_PROVIDER_ID, headers: githubHeaders('not json'), rawBody: 'not json' })),
    ];
    await receiver.receive({ provider: TEST_PROVIDER_ID, headers: githubHeaders(rawBody), rawBody });
    for (const error of errors) {
      expect(IntegrationError.isInstance(error)).toBe(true);
      const rendered = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 10 })}`;
      expect(rendered).not.toContain(PLANTED_SECRET);
      expect(rendered).not.toContain('Broken link');
    }
    expect(events).toHaveLength(4);
    expect(JSON.stringify(events)).not.toContain(PLANTED_SECRET);
    expect(JSON.stringify(events)).not.toContain('Broken link');
  });

  it('redacts the current secret of each provider and integration, and the provider’s own secrets', async () => {
    const providerSecrets = new SecretSet();
    providerSecrets.add('planted-provider-app-key-9d8c');
    const leaky = githubSchemeProvider({
      webhooks: {
        verify: (_, secret) => {
          throw new Error(`signature mismatch: key ${secret}, app key planted-provider-app-key-9d8c`);
        },
        normalize: () => ({ type: 'other' }),
      },
    });
    let current = 'planted-webhook-secret-first';
    const { receiver, events } = receiverUnderTest({ providers: [{ ...leaky, secrets: providerSecrets }], secret: () => current });
    const receive = () => rejectionOf(receiver.receive({ provider: TEST_PROVIDER_ID, integrationId: 'acme', headers: {}, rawBody }));
    const first = await receive();
    current = 'planted-webhook-secret-rotated';
    const second = await receive();
    for (const error of [first, second]) {
      const rendered = `${error.message} ${inspect(error, { depth: 10 })}`;
      expect(rendered).toContain('signature mismatch');
      expect(rendered).not.toContain('planted-provider-app-key-9d8c');
    }
    expect(inspect(first, { depth: 10 })).not.toContain('planted-webhook-secret-first');
    expect(inspect(second, { depth: 10 })).not.toContain('planted-webhook-secret-rotated');
    expect(JSON.stringify(events)).not.toMatch(/planted-(webhook-secret-first|webhook-secret-rotated|provider-app-key)/);
  });

  it('still returns the receipt when an event listener throws', async () => {
    const { receiver } = receiverUnderTest({
      events: {
        emit: () => {
          throw new Error('listener failed');
        },
      },
    });
    expect((await receiver.receive({ provider: TEST_PROVIDER_ID, headers: githubHeaders(rawBody), rawBody })).outcome).toBe('accepted');
  });

  it('lets a provider read a form-encoded body, see the URL it was sent to, and say what to answer', async () => {
    const seenUrls: (string | undefined)[] = [];
    const formScheme = githubSchemeProvider({
      id: 'form-scheme',
      webhooks: {
        verify: (request, secret) => {
          seenUrls.push(request.url);
          return githubSchemeProvider().webhooks!.verify(request, secret);
        },
        parse: (_webhook, body) => JSON.parse(new URLSearchParams(body).get('payload') ?? 'null') as unknown,
        normalize: () => ({ type: 'other', action: 'url_verification' }),
        reply: (event) => ({
          status: 200,
          headers: { 'content-type': 'text/plain' },
          body: String((event.payload as { challenge: string }).challenge),
        }),
      },
    });
    const { receiver } = receiverUnderTest({ providers: [formScheme] });
    const form = `payload=${encodeURIComponent(JSON.stringify({ challenge: 'c-123' }))}`;
    const receipt = await receiver.receive({
      provider: 'form-scheme',
      headers: githubHeaders(form),
      rawBody: form,
      url: 'https://hooks.example.com/in?x=1',
    });
    expect(receipt).toMatchObject({
      outcome: 'accepted',
      event: { payload: { challenge: 'c-123' } },
      reply: { status: 200, body: 'c-123' },
    });
    expect(seenUrls).toEqual(['https://hooks.example.com/in?x=1']);
  });

  it("hands the host's fallback delivery id to a provider that finds none, and dedupes on it", async () => {
    const seen: (string | undefined)[] = [];
    // A scheme whose requests carry no delivery id: it takes the host's, as a provider may.
    const noIdScheme = githubSchemeProvider({
      id: 'no-id-scheme',
      webhooks: {
        ...githubSchemeWebhooks,
        verify: (request, secret) => {
          seen.push(request.deliveryId);
          const { providerEvent } = githubSchemeWebhooks.verify(request, secret);
          if (request.deliveryId === undefined) throw new IntegrationError({ kind: 'validation', message: 'no delivery id' });
          return { deliveryId: request.deliveryId, providerEvent };
        },
      },
    });
    const { receiver } = receiverUnderTest({ providers: [noIdScheme] });
    const request = { provider: 'no-id-scheme', headers: githubHeaders(rawBody), rawBody };
    expect((await rejectionOf(receiver.receive(request))).kind).toBe('validation');
    expect(await receiver.receive({ ...request, deliveryId: 'gateway-1' })).toMatchObject({
      outcome: 'accepted',
      event: { deliveryId: 'gateway-1', providerEvent: 'issues' },
    });
    expect(await receiver.receive({ ...request, deliveryId: 'gateway-1' })).toEqual({ outcome: 'duplicate', deliveryId: 'gateway-1' });
    expect(seen).toEqual([undefined, 'gateway-1', 'gateway-1']);
  });

  it('refuses a body that is not UTF-8 with validation', async () => {
    const { receiver } = receiverUnderTest();
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const error = await rejectionOf(receiver.receive({ provider: TEST_PROVIDER_ID, headers: githubHeaders(bytes), rawBody: bytes }));
    expect(error.kind).toBe('validation');
  });
});
