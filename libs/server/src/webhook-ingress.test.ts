import { createHmac, randomUUID } from 'node:crypto';
import examples from '@octokit/webhooks-examples';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import { isValidSlackRequest } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { GITHUB_WEBHOOK_SECRET, SLACK_SIGNING_SECRET, startTestServer, type TestServer } from './__fixtures__/server-test-kit';

let running: TestServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** An `issues.opened` delivery GitHub documents (@octokit/webhooks-examples), as GitHub serializes it. */
function issuesOpened(): string {
  const entry = (examples as { name: string; examples: Record<string, unknown>[] }[]).find((candidate) => candidate.name === 'issues');
  const payload = entry?.examples.find((example) => example.action === 'opened');
  if (payload === undefined) throw new Error('no issues.opened example');
  return JSON.stringify(payload);
}

async function githubHeaders(body: string, deliveryId: string, secret = GITHUB_WEBHOOK_SECRET): Promise<Record<string, string>> {
  return {
    'content-type': 'application/json',
    'x-github-event': 'issues',
    'x-github-delivery': deliveryId,
    // Signed with GitHub's own library, so the server is checked against what GitHub sends.
    'x-hub-signature-256': await octokitSign(secret, body),
  };
}

function slackHeaders(body: string, secret = SLACK_SIGNING_SECRET): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
}

describe('POST /api/integrations/webhook/{name}', () => {
  it('accepts a GitHub-signed delivery, rejects a forged one with 401, and answers a replay as a duplicate', async () => {
    running = await startTestServer();
    const { call, keys } = running;
    const body = issuesOpened();
    const deliveryId = randomUUID();
    const accepted = await call('POST', '/api/integrations/webhook/github', { raw: body, headers: await githubHeaders(body, deliveryId) });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ status: 'accepted', deliveryId, type: 'issue' });

    const forged = await call('POST', '/api/integrations/webhook/github', {
      raw: body,
      headers: await githubHeaders(body, randomUUID(), 'not-the-secret-0123456789'),
    });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ kind: 'auth' });
    expect(forged.text).not.toContain(GITHUB_WEBHOOK_SECRET);
    // One changed byte after signing is a forgery too.
    const tampered = await call('POST', '/api/integrations/webhook/github', {
      raw: body.replace('"opened"', '"closed"'),
      headers: await githubHeaders(body, randomUUID()),
    });
    expect(tampered.status).toBe(401);

    const replay = await call('POST', '/api/integrations/webhook/github', { raw: body, headers: await githubHeaders(body, deliveryId) });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ status: 'duplicate', deliveryId });

    const logs = (await call('GET', '/api/integrations/webhook/github/logs', { key: keys.read })).body as {
      deliveries: { type: string }[];
    };
    expect(logs.deliveries.map((entry) => entry.type)).toEqual([
      'webhook.duplicate',
      'webhook.rejected',
      'webhook.rejected',
      'webhook.received',
    ]);
    expect(JSON.stringify(logs)).not.toContain(GITHUB_WEBHOOK_SECRET);
    expect((await call('GET', '/api/integrations/webhook/github/logs')).status).toBe(401);
  });

  it('accepts a Slack-signed event (a signature Bolt also accepts), answers url_verification with its challenge, and rejects a forged one', async () => {
    running = await startTestServer();
    const { call } = running;
    const event = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0001',
      api_app_id: 'A0001',
      event_id: 'Ev0PV52K21',
      event_time: 1_700_000_000,
      event: { type: 'app_mention', user: 'U0001', text: '<@U0002> status?', channel: 'C0001', ts: '1700000000.000100' },
    });
    const headers = slackHeaders(event);
    expect(
      isValidSlackRequest({
        signingSecret: SLACK_SIGNING_SECRET,
        body: event,
        headers: {
          'x-slack-signature': headers['x-slack-signature']!,
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
      }),
    ).toBe(true);
    const accepted = await call('POST', '/api/integrations/webhook/slack', { raw: event, headers });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', deliveryId: 'Ev0PV52K21' });
    expect((await call('POST', '/api/integrations/webhook/slack', { raw: event, headers })).body).toMatchObject({ status: 'duplicate' });

    const challenge = JSON.stringify({
      token: 'legacy',
      challenge: 'challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const verified = await call('POST', '/api/integrations/webhook/slack', { raw: challenge, headers: slackHeaders(challenge) });
    expect(verified.status).toBe(200);
    expect(verified.text).toContain('challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');

    const forged = await call('POST', '/api/integrations/webhook/slack', {
      raw: event,
      headers: slackHeaders(event, 'wrong-secret-0123456789abcdef'),
    });
    expect(forged.status).toBe(401);
  });

  it('answers 404 for a name that is neither an integration nor a provider, and takes an integration id', async () => {
    running = await startTestServer();
    const { call, keys, store } = running;
    expect(
      (await call('POST', '/api/integrations/webhook/nowhere', { raw: '{}', headers: { 'content-type': 'application/json' } })).status,
    ).toBe(404);
    const integration = await store.integrations.create({ id: 'acme-github', providerId: 'github', name: 'GitHub (acme)' });
    const body = issuesOpened();
    const accepted = await call('POST', `/api/integrations/webhook/${integration.id}`, {
      raw: body,
      headers: await githubHeaders(body, randomUUID()),
    });
    expect(accepted.status).toBe(200);
    const logs = (await call('GET', '/api/integrations/webhook/acme-github/logs', { key: keys.read })).body as {
      deliveries: { integrationId: string }[];
    };
    expect(logs.deliveries).toMatchObject([{ integrationId: 'acme-github' }]);
    const test = await call('POST', '/api/integrations/webhook/acme-github/test', { key: keys.admin });
    expect(test.status).toBe(201);
    expect(test.body).toMatchObject({ type: 'webhook.test', integrationId: 'acme-github' });
  });
});
