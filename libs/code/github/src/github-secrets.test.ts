import { createHub, type HubEvents } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubFake, type GithubFake } from './__peers__/github-fake';
import { createGithub } from './index';

const token = 'ghp_planted_secret_token_C64_0123456789';
const webhookSecret = 'planted-webhook-secret-AMIGA-0123456789';
let fake: GithubFake;

beforeAll(async () => {
  fake = await startGithubFake({ tokens: [token] });
});

afterAll(async () => {
  await fake?.close();
});

describe('planted secrets', () => {
  it('never reach an error, its cause or an event through a hub, even when GitHub echoes them', async () => {
    const seen: unknown[] = [];
    const listen =
      <Type extends keyof HubEvents>(type: Type) =>
      (event: HubEvents[Type]) =>
        void seen.push({ type, event });
    const hub = createHub({
      providers: [createGithub({ baseURL: fake.url, token, webhookSecret })],
      events: { request: listen('request'), attempt: listen('attempt'), failover: listen('failover') },
    });
    try {
      fake.failNext({
        status: 422,
        body: { message: `Validation Failed for token ${token}`, errors: [{ message: `secret ${webhookSecret} is not allowed` }] },
      });
      seen.push(
        await hub
          .execute({ capability: 'issues', operation: 'createIssue', input: { project: fake.repository, title: 'echo' } })
          .catch((error: unknown) => ({ error, cause: (error as Error).cause, json: (error as { toJSON(): unknown }).toJSON() })),
      );
    } finally {
      await hub.close();
    }
    const everything = JSON.stringify(seen, (_key, value: unknown) =>
      value instanceof Error ? { message: value.message, cause: value.cause } : value,
    );
    expect(everything, 'the echoed message was recorded').toContain('Validation Failed for token [REDACTED]');
    for (const secret of [token, webhookSecret]) expect(everything).not.toContain(secret);
  });
});

describe('healthCheck', () => {
  it('passes with a working token and fails with auth for a wrong one', async () => {
    await expect(createGithub({ baseURL: fake.url, token }).healthCheck({ signal: new AbortController().signal })).resolves.toBeUndefined();
    await expect(
      createGithub({ baseURL: fake.url, token: 'ghp_wrong_token_0123456789' }).healthCheck({ signal: new AbortController().signal }),
    ).rejects.toMatchObject({
      kind: 'auth',
      statusCode: 401,
    });
    expect(fake.requests.at(-1)?.path).toBe('/rate_limit');
  });
});
