import { readFileSync } from 'node:fs';
import { IntegrationError } from '@switchyard/core';
import { createMemoryStore, createWebhookReceiver } from '@switchyard/platform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGitlab } from './index';

const SECRET = 'gitlab-webhook-secret-7f3a9c';
const gitlab = createGitlab({ token: 'glpat-unused', webhookToken: SECRET });

function payload(name: string): string {
  return readFileSync(new URL(`__fixtures__/webhooks/${name}`, import.meta.url), 'utf8');
}

/**
 * Headers as GitLab 17.4+ sends them, per the "Delivery headers" table of
 * https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers (the example values are the
 * table's): `Idempotency-Key` is "unique ID consistent across webhook retries" (GitLab 17.4,
 * https://gitlab.com/gitlab-org/gitlab/-/issues/388692); `X-Gitlab-Event-UUID` is a "unique ID for
 * non-recursive webhooks", shared by webhooks triggered by an earlier webhook; `X-Gitlab-Webhook-UUID` is a
 * "unique ID for each webhook" (GitLab 16.2). GitLab's `WebHookService#build_headers` sets
 * `X-Gitlab-Webhook-UUID` to a new `SecureRandom.uuid` on every request, keeps `Idempotency-Key` for a
 * re-send, and takes `X-Gitlab-Event-UUID` from `RecursionDetection` (recycled from the request that
 * triggered the hook): gitlabhq/gitlabhq `app/services/web_hook_service.rb`,
 * `lib/gitlab/web_hooks/recursion_detection/uuid.rb`.
 */
function headers(event: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    'content-type': 'application/json',
    'user-agent': 'GitLab/17.4.0',
    'x-gitlab-event': event,
    'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e',
    'x-gitlab-webhook-uuid': '02affd2d-2cba-4033-917d-ec22d5dc4b38',
    'x-gitlab-instance': 'https://gitlab.com',
    'idempotency-key': 'f5e5f430-f57b-4e6e-9fac-d9128cd7232f',
    'x-gitlab-token': SECRET,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function receiver() {
  return createWebhookReceiver({ providers: [gitlab], secret: () => SECRET, store: createMemoryStore() });
}

const rejectedAsAuth = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return IntegrationError.isInstance(error) && error.kind === 'auth' && !error.message.includes(SECRET);
  }
  return false;
};

describe('gitlab webhooks: verify', () => {
  it('accepts the secret token and reads the delivery id (Idempotency-Key) and event', () => {
    expect(gitlab.webhooks.verify({ headers: headers('Issue Hook'), rawBody: payload('issue-hook.json') }, SECRET)).toEqual({
      deliveryId: 'f5e5f430-f57b-4e6e-9fac-d9128cd7232f',
      providerEvent: 'Issue Hook',
    });
  });

  it('rejects a wrong token, one flipped byte, a missing token and a delivery without Idempotency-Key or event UUID with auth, never echoing the secret', () => {
    const verify = (overrides: Record<string, string | undefined>) => () =>
      gitlab.webhooks.verify({ headers: headers('Push Hook', overrides), rawBody: payload('push-hook.json') }, SECRET);
    const flipped = String.fromCharCode(SECRET.charCodeAt(0) ^ 1) + SECRET.slice(1);
    expect(rejectedAsAuth(verify({ 'x-gitlab-token': 'not-the-secret' }))).toBe(true);
    expect(rejectedAsAuth(verify({ 'x-gitlab-token': flipped }))).toBe(true);
    expect(rejectedAsAuth(verify({ 'x-gitlab-token': `${SECRET} ` }))).toBe(true);
    expect(rejectedAsAuth(verify({ 'x-gitlab-token': undefined }))).toBe(true);
    expect(rejectedAsAuth(verify({ 'x-gitlab-event-uuid': undefined, 'idempotency-key': undefined }))).toBe(true);
    expect(rejectedAsAuth(verify({ 'x-gitlab-event': undefined }))).toBe(true);
    expect(() => verify({ 'x-gitlab-token': undefined })()).toThrow(/X-Gitlab-Token header is missing/);
    expect(() => verify({ 'x-gitlab-event-uuid': undefined, 'idempotency-key': undefined })()).toThrow(
      /neither an Idempotency-Key nor an X-Gitlab-Event-UUID header/,
    );
    expect(rejectedAsAuth(verify({ 'x-gitlab-event-uuid': undefined })), 'Idempotency-Key alone identifies the delivery').toBe(false);
  });

  it('accepts no token that differs from the secret: 0 false accepts over a fuzzed set', () => {
    const body = payload('issue-hook.json');
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 64 }),
          fc.string({ unit: 'binary', maxLength: 40 }),
          // Near misses: one character of the secret replaced, dropped or added.
          fc
            .tuple(fc.nat(SECRET.length - 1), fc.string({ minLength: 1, maxLength: 1 }))
            .map(([index, character]) => SECRET.slice(0, index) + character + SECRET.slice(index + 1)),
          fc.nat(SECRET.length - 1).map((index) => SECRET.slice(0, index) + SECRET.slice(index + 1)),
          fc.string({ minLength: 1, maxLength: 3 }).map((suffix) => SECRET + suffix),
        ),
        (token) => {
          fc.pre(token !== SECRET);
          if (
            !rejectedAsAuth(() =>
              gitlab.webhooks.verify({ headers: headers('Issue Hook', { 'x-gitlab-token': token }), rawBody: body }, SECRET),
            )
          )
            accepted += 1;
        },
      ),
      { numRuns: 1000 },
    );
    expect(accepted).toBe(0);
  });
});

describe('gitlab webhooks: through createWebhookReceiver', () => {
  it('accepts a delivery once and dedupes its replay', async () => {
    const shared = receiver();
    const request = { provider: 'gitlab', headers: headers('Merge Request Hook'), rawBody: payload('merge-request-hook.json') };
    const first = await shared.receive(request);
    expect(first).toMatchObject({
      outcome: 'accepted',
      event: {
        provider: 'gitlab',
        deliveryId: 'f5e5f430-f57b-4e6e-9fac-d9128cd7232f',
        type: 'pull_request',
        action: 'opened',
        repository: 'gitlabhq/gitlab-test',
        sender: 'root',
        providerEvent: 'Merge Request Hook',
      },
    });
    expect(await shared.receive(request)).toEqual({ outcome: 'duplicate', deliveryId: 'f5e5f430-f57b-4e6e-9fac-d9128cd7232f' });
  });

  it('dedupes a re-send by its Idempotency-Key although GitLab gives it a new X-Gitlab-Event-UUID and X-Gitlab-Webhook-UUID', async () => {
    const shared = receiver();
    const body = payload('issue-hook.json');
    expect((await shared.receive({ provider: 'gitlab', headers: headers('Issue Hook'), rawBody: body })).outcome).toBe('accepted');
    const resent = headers('Issue Hook', {
      'x-gitlab-event-uuid': 'a7b5b0f4-0c38-4d0e-9d5e-2f0b7c1f3e11',
      'x-gitlab-webhook-uuid': '5c0d6f2e-8b1a-4f57-9a43-71e2d0c9b8a4',
    });
    expect(await shared.receive({ provider: 'gitlab', headers: resent, rawBody: body })).toEqual({
      outcome: 'duplicate',
      deliveryId: 'f5e5f430-f57b-4e6e-9fac-d9128cd7232f',
    });
  });

  it('accepts two different events that share a recycled X-Gitlab-Event-UUID (recursive webhooks) but not an Idempotency-Key', async () => {
    const shared = receiver();
    const recycled = { 'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e' };
    const issue = await shared.receive({
      provider: 'gitlab',
      headers: headers('Issue Hook', { ...recycled, 'idempotency-key': '3f0b2c6e-1d4a-4c8e-b7f9-0a2d5e6c7b81' }),
      rawBody: payload('issue-hook.json'),
    });
    const note = await shared.receive({
      provider: 'gitlab',
      headers: headers('Note Hook', { ...recycled, 'idempotency-key': '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b' }),
      rawBody: payload('note-hook-issue.json'),
    });
    expect(issue).toMatchObject({ outcome: 'accepted', event: { type: 'issue' } });
    expect(note).toMatchObject({ outcome: 'accepted', event: { type: 'issue_comment' } });
  });

  it('without Idempotency-Key (GitLab before 17.4) dedupes by X-Gitlab-Event-UUID and the body, so recycled UUIDs of different events do not collide', async () => {
    const shared = receiver();
    const old = (event: string, uuid = '13792a34-cac6-4fda-95a8-c58e00a3954e') =>
      headers(event, { 'idempotency-key': undefined, 'x-gitlab-event-uuid': uuid });
    const issueBody = payload('issue-hook.json');
    const issue = { provider: 'gitlab', headers: old('Issue Hook'), rawBody: issueBody };
    const first = await shared.receive(issue);
    expect(first.outcome).toBe('accepted');
    const deliveryId = first.outcome === 'accepted' ? first.event.deliveryId : '';
    expect(deliveryId.startsWith('13792a34-cac6-4fda-95a8-c58e00a3954e/')).toBe(true);
    expect(await shared.receive(issue), 'the same request again').toEqual({ outcome: 'duplicate', deliveryId });
    expect(await shared.receive({ ...issue, rawBody: Buffer.from(issueBody) }), 'the same bytes as a Buffer').toEqual({
      outcome: 'duplicate',
      deliveryId,
    });
    const note = await shared.receive({ provider: 'gitlab', headers: old('Note Hook'), rawBody: payload('note-hook-issue.json') });
    expect(note, 'another event under the recycled UUID').toMatchObject({ outcome: 'accepted', event: { type: 'issue_comment' } });
  });

  it("rejects a wrong token before recording the delivery, so the sender's retry with the right one is accepted", async () => {
    const shared = receiver();
    const body = payload('issue-hook.json');
    await expect(
      shared.receive({ provider: 'gitlab', headers: headers('Issue Hook', { 'x-gitlab-token': 'wrong' }), rawBody: body }),
    ).rejects.toMatchObject({ kind: 'auth' });
    expect((await shared.receive({ provider: 'gitlab', headers: headers('Issue Hook'), rawBody: body })).outcome).toBe('accepted');
  });
});

describe('gitlab webhooks: normalize', () => {
  const normalize = (event: string, name: string) =>
    gitlab.webhooks.normalize({ deliveryId: 'id', providerEvent: event }, JSON.parse(payload(name)));

  it('maps the documented Push, Issue, Merge Request and Note (on an issue) payloads', () => {
    expect(normalize('Push Hook', 'push-hook.json')).toEqual({
      type: 'push',
      action: undefined,
      repository: 'mike/diaspora',
      sender: 'jsmith',
    });
    expect(normalize('Issue Hook', 'issue-hook.json')).toEqual({
      type: 'issue',
      action: 'opened',
      repository: 'gitlabhq/gitlab-test',
      sender: 'root',
    });
    expect(normalize('Merge Request Hook', 'merge-request-hook.json')).toEqual({
      type: 'pull_request',
      action: 'opened',
      repository: 'gitlabhq/gitlab-test',
      sender: 'root',
    });
    expect(normalize('Note Hook', 'note-hook-issue.json')).toEqual({
      type: 'issue_comment',
      action: 'created',
      repository: 'gitlab-org/gitlab-test',
      sender: 'root',
    });
  });

  it('maps merge request actions to the past tense and keeps other events as other', () => {
    const merged = { ...JSON.parse(payload('merge-request-hook.json')), object_attributes: { action: 'merge' } } as unknown;
    expect(gitlab.webhooks.normalize({ deliveryId: 'id', providerEvent: 'Merge Request Hook' }, merged).action).toBe('merged');
    const closed = { ...JSON.parse(payload('issue-hook.json')), object_attributes: { action: 'close' } } as unknown;
    expect(gitlab.webhooks.normalize({ deliveryId: 'id', providerEvent: 'Issue Hook' }, closed).action).toBe('closed');
    const onCommit = { ...JSON.parse(payload('note-hook-issue.json')), object_attributes: { noteable_type: 'Commit' } } as unknown;
    expect(gitlab.webhooks.normalize({ deliveryId: 'id', providerEvent: 'Note Hook' }, onCommit).type).toBe('other');
    expect(normalize('Pipeline Hook', 'push-hook.json').type).toBe('other');
  });
});
