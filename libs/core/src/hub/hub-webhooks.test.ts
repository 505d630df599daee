import { describe, expect, it } from 'vitest';
import type { HubEvents } from '../events/hub-events';
import { createMemoryStore } from '../store/memory-store';
import { githubHeaders, githubSchemeProvider, PLANTED_SECRET, TEST_PROVIDER_ID } from '../webhooks/test-fixtures';
import { createHub } from './create-hub';

describe('hub.webhookReceiver', () => {
  it('verifies webhooks of the hub’s providers and reports them on the hub’s events', async () => {
    const received: HubEvents['webhook.received'][] = [];
    const duplicates: HubEvents['webhook.duplicate'][] = [];
    const hub = createHub({
      providers: [githubSchemeProvider()],
      events: { 'webhook.received': (event) => received.push(event), 'webhook.duplicate': (event) => duplicates.push(event) },
    });
    const webhooks = hub.webhookReceiver({ store: createMemoryStore(), secret: () => PLANTED_SECRET });
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
});
