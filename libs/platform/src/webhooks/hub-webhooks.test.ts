import { describe, expect, it } from 'vitest';
import { createHub, type HubEvents } from '@switchyard/core';
import { createMemoryStore } from '../store/memory-store';
import { githubHeaders, githubSchemeProvider, PLANTED_SECRET, TEST_PROVIDER_ID } from './test-fixtures';
import { createWebhookReceiver } from './webhook-receiver';

describe('createWebhookReceiver({ hub })', () => {
  it('verifies webhooks of the hub’s providers and reports them on the hub’s events', async () => {
    const received: HubEvents['webhook.received'][] = [];
    const duplicates: HubEvents['webhook.duplicate'][] = [];
    const hub = createHub({
      providers: [githubSchemeProvider()],
      events: { 'webhook.received': (event) => received.push(event), 'webhook.duplicate': (event) => duplicates.push(event) },
    });
    const webhooks = createWebhookReceiver({ hub, store: createMemoryStore(), secret: () => PLANTED_SECRET });
    const rawBody = JSON.stringify({ action: 'opened', repository: { full_name: 'acme/website' }, sender: { login: 'octocat' } });
    const headers = githubHeaders(rawBody, { deliveryId: 'delivery-7', event: 'issues' });
    const first = await webhooks.receive({ provider: TEST_PROVIDER_ID, headers, rawBody });
    expect(first.outcome).toBe('accepted');
    expect((await webhooks.receive({ provider: TEST_PROVIDER_ID, headers, rawBody })).outcome).toBe('duplicate');
    expect(received.map((event) => event.deliveryId)).toEqual(['delivery-7']);
    expect(duplicates.map((event) => event.deliveryId)).toEqual(['delivery-7']);
    expect(JSON.stringify([received, duplicates])).not.toContain(PLANTED_SECRET);
    await hub.close();
  });

  it('refuses to start without a hub or providers', () => {
    expect(() => createWebhookReceiver({ store: createMemoryStore(), secret: () => PLANTED_SECRET })).toThrow(/needs `hub` or `providers`/);
  });
});
