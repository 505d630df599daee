import { createHub, redact, redactText, type HubEvents } from '@switchyard/core';
import { createCallContext, printedForms } from '@switchyard/testing';
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

  it('never reach an error of a direct call, outside any hub, nor do other tokens of GitHub’s formats', async () => {
    const stranger = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
    const fineGrained = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz';
    fake.failNext({
      status: 422,
      body: { message: `Bad value ${token}`, errors: [{ message: `${webhookSecret} ${stranger} ${fineGrained}` }] },
    });
    const error: unknown = await createGithub({ baseURL: fake.url, token, webhookSecret })
      .execute({ capability: 'issues', operation: 'createIssue', input: { project: fake.repository, title: 'echo' } }, createCallContext())
      .catch((failure: unknown) => failure);
    const everything = JSON.stringify({ message: (error as Error).message, json: (error as { toJSON(): unknown }).toJSON() });
    expect(everything, 'GitHub’s message was kept').toContain('Bad value [REDACTED]');
    for (const secret of [token, webhookSecret, stranger, fineGrained]) expect(everything).not.toContain(secret);
  });

  it('are held by the provider’s secret set, never by a property of the provider', () => {
    const privateKey = 'planted-private-key-PEM-0123456789';
    for (const github of [
      createGithub({ baseURL: fake.url, token, webhookSecret }),
      createGithub({ baseURL: fake.url, app: { appId: 1, privateKey, installationId: 2 }, webhookSecret }),
    ]) {
      // The token-only provider never saw the private key: shown nowhere, but not its to redact.
      for (const secret of [token, webhookSecret, privateKey]) expect(printedForms(github)).not.toContain(secret);
      expect('webhookSecret' in github).toBe(false);
      expect(redactText(`signed with ${webhookSecret}`, github.secrets)).toBe('signed with [REDACTED]');
    }
  });

  it('hide GitHub’s signature headers, and only this provider’s values: there is no process-wide list', () => {
    const github = createGithub({ baseURL: fake.url, token, webhookSecret });
    const other = createGithub({ baseURL: fake.url, webhookSecret: 'another-providers-hook-secret-42' });
    const headers = { 'X-Hub-Signature-256': 'sha256=0123abcd', 'X-Hub-Signature': 'sha1=4567ef' };
    expect(redact(headers, github.secrets)).toEqual({ 'X-Hub-Signature-256': '[REDACTED]', 'X-Hub-Signature': '[REDACTED]' });
    expect(redactText(`${webhookSecret} another-providers-hook-secret-42`, other.secrets)).toBe(`${webhookSecret} [REDACTED]`);
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
