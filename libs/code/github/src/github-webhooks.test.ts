import { createHmac, randomUUID } from 'node:crypto';
import { createHub, IntegrationError, type HubEvents } from '@switchyard/core';
import { createMemoryStore, createWebhookReceiver, type WebhookReceipt } from '@switchyard/platform';
import examples from '@octokit/webhooks-examples';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { createGithub } from './index';

const secret = 'planted-webhook-secret-0123456789';

function sign(body: string | Uint8Array, key: string = secret): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

/** A payload from @octokit/webhooks-examples (real deliveries GitHub documents), by event and action. */
function example(event: string, pick: (payload: Record<string, unknown>) => boolean = () => true): Record<string, unknown> {
  const found = (examples as { name: string; examples: Record<string, unknown>[] }[])
    .find((entry) => entry.name === event)
    ?.examples.find(pick);
  if (found === undefined) throw new Error(`no ${event} example`);
  return found;
}

function delivery(event: string, rawBody: string, overrides: Record<string, string | undefined> = {}) {
  const headers: Record<string, string | undefined> = {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': sign(rawBody),
    ...overrides,
  };
  return { provider: 'github', headers, rawBody };
}

function receiver() {
  return createWebhookReceiver({ providers: [createGithub({ webhookSecret: secret })], secret: () => secret, store: createMemoryStore() });
}

async function refusal(promise: Promise<unknown>): Promise<IntegrationError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!IntegrationError.isInstance(outcome)) throw new Error('expected a refusal');
  return outcome;
}

describe('GitHub webhook verification', () => {
  it('accepts GitHub\'s published example: secret "It\'s a Secret to Everybody", body "Hello, World!"', () => {
    // https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const headers = { 'X-Hub-Signature-256': signature, 'X-GitHub-Delivery': 'd-1', 'X-GitHub-Event': 'ping' };
    expect(createGithub().webhooks.verify({ headers, rawBody: 'Hello, World!' }, "It's a Secret to Everybody")).toEqual({
      deliveryId: 'd-1',
      providerEvent: 'ping',
    });
    expect(() => createGithub().webhooks.verify({ headers, rawBody: 'Hello, World?' }, "It's a Secret to Everybody")).toThrow(
      /does not match/,
    );
  });

  it('refuses an upper-case hex digest, as @octokit/webhooks-methods does', async () => {
    const rawBody = JSON.stringify(example('push'));
    const upper = `sha256=${(await octokitSign(secret, rawBody)).slice('sha256='.length).toUpperCase()}`;
    expect(await octokitVerify(secret, rawBody, upper)).toBe(false);
    const headers = { 'X-Hub-Signature-256': upper, 'X-GitHub-Delivery': 'd-upper', 'X-GitHub-Event': 'push' };
    expect(() => createGithub().webhooks.verify({ headers, rawBody }, secret)).toThrow(/does not match/);
  });

  it('normalizes real push, pull_request, issues and issue_comment deliveries, keeping the payload', async () => {
    const merged = { ...example('pull_request', (payload) => payload.action === 'closed') };
    merged.pull_request = { ...(merged.pull_request as object), merged: true };
    const cases: [string, Record<string, unknown>, { type: string; action?: string }][] = [
      ['push', example('push'), { type: 'push' }],
      ['pull_request', example('pull_request', (payload) => payload.action === 'opened'), { type: 'pull_request', action: 'opened' }],
      ['pull_request', example('pull_request', (payload) => payload.action === 'closed'), { type: 'pull_request', action: 'closed' }],
      ['pull_request', merged, { type: 'pull_request', action: 'merged' }],
      ['issues', example('issues', (payload) => payload.action === 'opened'), { type: 'issue', action: 'opened' }],
      ['issue_comment', example('issue_comment', (payload) => payload.action === 'created'), { type: 'issue_comment', action: 'created' }],
      ['star', example('star'), { type: 'other', action: 'created' }],
    ];
    const webhooks = receiver();
    for (const [event, payload, expected] of cases) {
      const rawBody = JSON.stringify(payload, null, 2);
      const receipt = await webhooks.receive(delivery(event, rawBody));
      const repository = (payload.repository as { full_name: string }).full_name;
      const sender = (payload.sender as { login: string }).login;
      expect(receipt, `${event} ${String(payload.action)}`).toMatchObject({
        outcome: 'accepted',
        event: { provider: 'github', providerEvent: event, ...expected, repository, sender, payload },
      });
      if (expected.action === undefined) expect((receipt as Extract<WebhookReceipt, { outcome: 'accepted' }>).event.action).toBeUndefined();
    }
  });

  it('rejects one flipped byte, a missing or foreign signature, and a body re-serialized as JSON; dedupes a replayed delivery id', async () => {
    const webhooks = receiver();
    const rawBody = JSON.stringify(
      example('issues', (payload) => payload.action === 'opened'),
      null,
      2,
    );
    const good = delivery('issues', rawBody);
    const flipped = Buffer.from(rawBody);
    const middle = Math.floor(flipped.length / 2);
    flipped.writeUInt8(flipped.readUInt8(middle) ^ 0x01, middle);
    const reserialized = JSON.stringify(JSON.parse(rawBody));
    const refusals = await Promise.all([
      refusal(webhooks.receive({ ...good, rawBody: flipped })),
      refusal(webhooks.receive(delivery('issues', rawBody, { 'x-hub-signature-256': undefined }))),
      refusal(webhooks.receive(delivery('issues', rawBody, { 'x-hub-signature-256': sign(rawBody, 'another-secret-entirely') }))),
      refusal(webhooks.receive({ ...good, rawBody: reserialized })),
      refusal(webhooks.receive(delivery('issues', rawBody, { 'x-github-delivery': undefined }))),
    ]);
    expect(refusals.map((error) => error.kind)).toEqual(['auth', 'auth', 'auth', 'auth', 'auth']);
    expect(refusals[1]?.message).toMatch(/X-Hub-Signature-256 header is missing/);
    expect(refusals[4]?.message).toMatch(/X-GitHub-Delivery header is missing/);
    for (const error of refusals) expect(JSON.stringify({ message: error.message, json: error.toJSON() })).not.toContain(secret);
    expect((await webhooks.receive(good)).outcome, 'the original is accepted after the refusals').toBe('accepted');
    expect(await webhooks.receive(good), 'the replay').toEqual({ outcome: 'duplicate', deliveryId: good.headers['x-github-delivery'] });
  });

  it("reports received, rejected and duplicate deliveries as the hub's webhook events, without the secret", async () => {
    const seen: { type: string; event: unknown }[] = [];
    const listen =
      <Type extends keyof HubEvents>(type: Type) =>
      (event: HubEvents[Type]) =>
        void seen.push({ type, event });
    const hub = createHub({
      providers: [createGithub({ webhookSecret: secret })],
      events: {
        'webhook.received': listen('webhook.received'),
        'webhook.rejected': listen('webhook.rejected'),
        'webhook.duplicate': listen('webhook.duplicate'),
      },
    });
    try {
      const webhooks = createWebhookReceiver({ hub, store: createMemoryStore(), secret: () => secret });
      const good = delivery('issue_comment', JSON.stringify(example('issue_comment', (payload) => payload.action === 'created')));
      await webhooks.receive(good);
      await webhooks.receive(good);
      await webhooks.receive({ ...good, rawBody: `${good.rawBody} ` }).catch(() => undefined);
    } finally {
      await hub.close();
    }
    expect(seen.map((entry) => entry.type)).toEqual(['webhook.received', 'webhook.duplicate', 'webhook.rejected']);
    expect(seen[0]?.event).toMatchObject({ provider: 'github', providerEvent: 'issue_comment', type: 'issue_comment', action: 'created' });
    expect(JSON.stringify(seen)).not.toContain(secret);
  });

  it('accepts nothing from 2,000 fuzzed deliveries: mutated bodies, signatures, prefixes and secrets', () => {
    let seed = 0x5eed;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    const github = createGithub();
    const rawBody = JSON.stringify(example('push'));
    const signature = sign(rawBody);
    const mutations: (() => { body: string | Buffer; signature: string | undefined; key: string })[] = [
      () => {
        const bytes = Buffer.from(rawBody);
        const position = random(bytes.length);
        bytes.writeUInt8(bytes.readUInt8(position) ^ (1 << random(8)), position);
        return { body: bytes, signature, key: secret };
      },
      () => {
        const position = 7 + random(64);
        const replaced = '0123456789abcdef'[random(16)] ?? '0';
        const mutated = signature.slice(0, position) + replaced + signature.slice(position + 1);
        return {
          body: rawBody,
          signature: mutated === signature ? `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}` : mutated,
          key: secret,
        };
      },
      () => ({ body: rawBody.slice(0, random(rawBody.length)), signature, key: secret }),
      () => ({ body: `${rawBody}${' \n'[random(2)] ?? ' '}`, signature, key: secret }),
      () => ({ body: rawBody, signature: ['sha1=', 'SHA256=', 'sha256:', ''][random(4)] + signature.slice(7), key: secret }),
      () => ({ body: rawBody, signature: signature.slice(0, 7 + random(64)), key: secret }),
      () => ({ body: rawBody, signature, key: `${secret}${random(10)}` }),
      () => ({ body: rawBody, signature: undefined, key: secret }),
    ];
    let accepted = 0;
    for (let round = 0; round < 2000; round += 1) {
      const { body, signature: sent, key } = mutations[round % mutations.length]!();
      try {
        github.webhooks.verify(
          { headers: { 'x-hub-signature-256': sent, 'x-github-delivery': `fuzz-${round}`, 'x-github-event': 'push' }, rawBody: body },
          key,
        );
        accepted += 1;
      } catch (error) {
        if (!IntegrationError.isInstance(error) || error.kind !== 'auth') throw error;
      }
    }
    expect(accepted).toBe(0);
    expect(
      github.webhooks.verify(
        { headers: { 'x-hub-signature-256': signature, 'x-github-delivery': 'fuzz-control', 'x-github-event': 'push' }, rawBody },
        secret,
      ).deliveryId,
      'the unmutated control is accepted',
    ).toBe('fuzz-control');
  });
});

describe("GitHub webhooks sent as a form (content_type: form, GitHub's default for hooks made in its UI)", () => {
  /** How GitHub posts with `content_type: form`: one field `payload` holding the JSON, `application/x-www-form-urlencoded`. */
  const formOf = (json: string) => new URLSearchParams({ payload: json }).toString();

  /** A delivery signed by @octokit/webhooks-methods, checked with its `verify` before it is sent. */
  async function signedDelivery(event: string, rawBody: string, contentType: string, deliveryId: string) {
    const signature = await octokitSign(secret, rawBody);
    expect(await octokitVerify(secret, rawBody, signature), 'octokit verifies its own signature').toBe(true);
    return delivery(event, rawBody, { 'content-type': contentType, 'x-github-delivery': deliveryId, 'x-hub-signature-256': signature });
  }

  const fixedClock = () => Date.UTC(2025, 0, 2, 3, 4, 5);
  const freshReceiver = () =>
    createWebhookReceiver({
      providers: [createGithub({ webhookSecret: secret })],
      secret: () => secret,
      store: createMemoryStore(),
      clock: fixedClock,
    });

  it('accepts a correctly signed form delivery and normalizes it exactly as the same event sent as JSON', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['push', example('push')],
      ['issues', example('issues', (payload) => payload.action === 'opened')],
      ['pull_request', example('pull_request', (payload) => payload.action === 'closed')],
      ['issue_comment', example('issue_comment', (payload) => payload.action === 'created')],
      ['star', example('star')],
    ];
    for (const [event, payload] of cases) {
      const json = JSON.stringify(payload, null, 2);
      const deliveryId = randomUUID();
      const fromJson = await freshReceiver().receive(await signedDelivery(event, json, 'application/json', deliveryId));
      const fromForm = await freshReceiver().receive(
        await signedDelivery(event, formOf(json), 'application/x-www-form-urlencoded', deliveryId),
      );
      expect(fromForm.outcome, `${event} sent as a form`).toBe('accepted');
      expect(fromForm, `${event}: the form delivery's event equals the JSON delivery's`).toEqual(fromJson);
      expect((fromForm as Extract<WebhookReceipt, { outcome: 'accepted' }>).event.payload).toEqual(payload);
    }
  });

  it('dedupes a form delivery replayed as JSON under the same delivery id', async () => {
    const webhooks = freshReceiver();
    const json = JSON.stringify(example('issues', (payload) => payload.action === 'opened'));
    const deliveryId = randomUUID();
    const form = await signedDelivery('issues', formOf(json), 'application/x-www-form-urlencoded', deliveryId);
    expect((await webhooks.receive(form)).outcome).toBe('accepted');
    expect(await webhooks.receive(await signedDelivery('issues', json, 'application/json', deliveryId))).toEqual({
      outcome: 'duplicate',
      deliveryId,
    });
  });

  it('rejects tampered form bodies: a flipped byte, an added or replaced field, the same JSON re-encoded', async () => {
    const webhooks = freshReceiver();
    const json = JSON.stringify(example('issues', (payload) => payload.action === 'opened'));
    const good = await signedDelivery('issues', formOf(json), 'application/x-www-form-urlencoded', randomUUID());
    const flipped = Buffer.from(good.rawBody);
    const middle = Math.floor(flipped.length / 2);
    flipped.writeUInt8(flipped.readUInt8(middle) ^ 0x01, middle);
    const otherJson = JSON.stringify(example('issues', (payload) => payload.action !== 'opened'));
    const tampered: (string | Buffer)[] = [
      flipped,
      `${good.rawBody}&payload=${encodeURIComponent(otherJson)}`,
      formOf(otherJson),
      // The same JSON, percent-encoded the other valid way (%20 for spaces, every byte escaped): equal once decoded, not signed.
      `payload=${encodeURIComponent(json)}`,
      `payload=${encodeURIComponent(json).replaceAll('%20', '+')}&`,
    ];
    for (const rawBody of tampered) {
      if (typeof rawBody === 'string') expect(await octokitVerify(secret, rawBody, good.headers['x-hub-signature-256']!)).toBe(false);
      const error = await refusal(webhooks.receive({ ...good, rawBody }));
      expect(error.kind).toBe('auth');
      expect(error.message).toMatch(/X-Hub-Signature-256 signature does not match/);
    }
    expect((await webhooks.receive(good)).outcome, 'the untampered delivery is still accepted').toBe('accepted');
  });

  it('refuses a correctly signed form without exactly one JSON `payload` field as validation, quoting none of it', async () => {
    const json = JSON.stringify(example('push'));
    const unreadable = [
      `data=${encodeURIComponent(json)}`,
      `${formOf(json)}&${formOf(json)}`,
      formOf('{"truncated": '),
      'payload=',
      'payload=%7B',
    ];
    for (const rawBody of unreadable) {
      const error = await refusal(
        freshReceiver().receive(await signedDelivery('push', rawBody, 'application/x-www-form-urlencoded', randomUUID())),
      );
      expect(error.kind, JSON.stringify(rawBody.slice(0, 40))).toBe('validation');
      expect(error.message).not.toContain('truncated');
    }
  });
});
