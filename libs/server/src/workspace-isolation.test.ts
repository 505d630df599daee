import { createApiKeys, type Store } from '@switchyard/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { isolationStores } from './__fixtures__/isolation-stores';
import { startTestServer, type TestServer } from './__fixtures__/server-test-kit';

let running: TestServer | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
});

/** Names only workspace B's records carry: none may appear in anything workspace A is shown. */
const B_MARKERS = [
  'globex-github',
  'Globex GitHub',
  'globex-secret-settings',
  'https://globex.example/hooks',
  'globex read',
  'globex admin',
  'globex execute',
];

interface Workspace {
  readonly keys: { readonly admin: string; readonly execute: string; readonly read: string };
  integrationId: string;
  subscriptionId: string;
}

async function workspaceKeys(store: Store, workspaceId: string): Promise<Workspace['keys']> {
  const keys = createApiKeys(store);
  const issue = async (scope: 'admin' | 'execute' | 'read') =>
    (await keys.issue({ workspaceId, name: `${workspaceId} ${scope}`, scopes: [scope] })).key;
  return { admin: await issue('admin'), execute: await issue('execute'), read: await issue('read') };
}

describe.each(isolationStores())('workspaces on %s', (_name, openStore) => {
  it('every endpoint, tried with the other workspace’s ids and keys, crosses 0 records', async () => {
    const opened = await openStore();
    cleanups.push(opened.close);
    running = await startTestServer({ store: opened.store, outboundWebhooks: { allowPrivateNetwork: true } });
    const { call } = running;
    const a: Workspace = { keys: await workspaceKeys(opened.store, 'acme'), integrationId: '', subscriptionId: '' };
    const b: Workspace = { keys: await workspaceKeys(opened.store, 'globex'), integrationId: '', subscriptionId: '' };

    for (const [workspace, name, url] of [
      [a, 'Acme GitHub', 'https://acme.example/hooks'],
      [b, 'Globex GitHub', 'https://globex.example/hooks'],
    ] as const) {
      const created = await call('POST', '/api/v1/integrations', {
        key: workspace.keys.admin,
        body: { providerId: 'backup', name, settings: { note: workspace === b ? 'globex-secret-settings' : 'acme' }, connect: false },
      });
      expect(created.status).toBe(201);
      workspace.integrationId = (created.body as { id: string }).id;
      const subscribed = await call('POST', '/api/v1/webhooks', { key: workspace.keys.admin, body: { url, eventTypes: ['*'] } });
      expect(subscribed.status).toBe(201);
      workspace.subscriptionId = (subscribed.body as { id: string }).id;
    }

    /** Every answer workspace A got: none may hold anything of B's. */
    const answers: string[] = [];
    const asA = async (method: string, path: string, key: string, body?: unknown) => {
      const answer = await call(method, path, { key, ...(body === undefined ? {} : { body }) });
      answers.push(`${method} ${path} → ${answer.status}: ${answer.text}`);
      return answer;
    };
    // Lists: A sees its own and none of B's.
    for (const path of [
      '/api/v1/integrations',
      '/api/integrations/list',
      '/api/v1/events?limit=1000',
      '/api/v1/webhooks',
      '/api/integrations/health',
    ]) {
      expect((await asA('GET', path, a.keys.admin)).status, path).toBe(200);
    }
    // Every route that takes an id, with B's: not found, and B's record unchanged.
    const bIntegration = `/api/v1/integrations/${b.integrationId}`;
    const byId: [string, string, string, unknown?][] = [
      ['GET', bIntegration, a.keys.read],
      ['PATCH', bIntegration, a.keys.admin, { name: 'taken over' }],
      ['GET', `${bIntegration}/status`, a.keys.read],
      ['GET', `${bIntegration}/health`, a.keys.read],
      ['GET', `${bIntegration}/metrics`, a.keys.read],
      ['POST', `${bIntegration}/test`, a.keys.execute],
      ['POST', `${bIntegration}/connect`, a.keys.admin],
      ['POST', `${bIntegration}/disconnect`, a.keys.admin],
      ['POST', `/api/integrations/${b.integrationId}/test`, a.keys.execute],
      ['GET', `/api/integrations/webhook/${b.integrationId}/logs`, a.keys.read],
      ['POST', `/api/integrations/webhook/${b.integrationId}/test`, a.keys.admin],
      ['GET', `/api/v1/webhooks/${b.subscriptionId}`, a.keys.admin],
      ['PATCH', `/api/v1/webhooks/${b.subscriptionId}`, a.keys.admin, { enabled: false }],
      ['GET', `/api/v1/webhooks/${b.subscriptionId}/deliveries`, a.keys.admin],
      ['DELETE', `/api/v1/webhooks/${b.subscriptionId}`, a.keys.admin],
      ['POST', `/api/v1/keys/${b.keys.read.slice(4, 20)}/rotate`, a.keys.admin, {}],
      ['POST', `/api/v1/keys/${b.keys.read.slice(4, 20)}/revoke`, a.keys.admin],
      ['DELETE', bIntegration, a.keys.admin],
    ];
    for (const [method, path, key, body] of byId) {
      expect((await asA(method, path, key, body)).status, `${method} ${path}`).toBe(404);
    }
    // An event filter naming B's integration finds nothing.
    expect((await asA('GET', `/api/v1/events?integrationId=${b.integrationId}`, a.keys.read)).body).toEqual({ events: [] });

    // The answers' bodies (after the status), not the paths that named B's ids on purpose; a 404 may echo the id it
    // was asked for, nothing more.
    const crossed = answers.filter((line) => {
      const body = line.slice(line.indexOf(': ') + 2);
      const markers = line.includes(' → 404: ') ? B_MARKERS : [...B_MARKERS, b.integrationId, b.subscriptionId];
      return markers.some((marker) => body.includes(marker));
    });
    expect(crossed).toEqual([]);

    // B still has everything, untouched.
    const still = await call('GET', bIntegration, { key: b.keys.read });
    expect(still.body).toMatchObject({ name: 'Globex GitHub', status: 'disabled', settings: { note: 'globex-secret-settings' } });
    expect(await call('GET', `/api/v1/webhooks/${b.subscriptionId}`, { key: b.keys.admin }).then((answer) => answer.body)).toMatchObject({
      enabled: true,
    });
    const bEvents = (await call('GET', '/api/v1/events?limit=1000', { key: b.keys.read })).body as { events: { type: string }[] };
    expect(bEvents.events.some((event) => event.type === 'audit.integration.updated')).toBe(false);
    expect((await call('GET', '/api/v1/tools', { key: b.keys.read })).status, 'B’s key was not revoked by A').toBe(200);
    // B's keys see nothing of A either.
    const bList = (await call('GET', '/api/v1/integrations', { key: b.keys.read })).body as { integrations: { id: string }[] };
    expect(bList.integrations.map((integration) => integration.id)).toEqual([b.integrationId]);
  }, 60_000);
});

describe('the default workspace', () => {
  it('holds what keys without a workspace create, and a key of another workspace sees none of it', async () => {
    running = await startTestServer();
    const { call, keys, store } = running;
    const created = await call('POST', '/api/v1/integrations', {
      key: keys.admin,
      body: { providerId: 'backup', name: 'Default only', connect: false },
    });
    const { id, workspaceId } = created.body as { id: string; workspaceId: string };
    expect(workspaceId).toBe('default');
    const acme = (await createApiKeys(store).issue({ workspaceId: 'acme', name: 'acme read', scopes: ['read'] })).key;
    expect((await call('GET', '/api/v1/integrations', { key: acme })).body).toEqual({ integrations: [] });
    expect((await call('GET', `/api/v1/integrations/${id}`, { key: acme })).status).toBe(404);
    expect((await call('GET', `/api/v1/integrations/${id}`, { key: keys.read })).status).toBe(200);
  });
});
