import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './__fixtures__/server-test-kit';

let running: TestServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('integrations over HTTP', () => {
  it('creates, reads, updates, tests, disconnects and deletes an integration, and audits every admin action', async () => {
    running = await startTestServer();
    const { call, keys, store } = running;
    const created = await call('POST', '/api/v1/integrations', {
      key: keys.admin,
      body: { providerId: 'backup', name: 'Backup storage', settings: { region: 'eu' } },
    });
    expect(created.status).toBe(201);
    const integration = created.body as { id: string; status: string };
    expect(integration).toMatchObject({ providerId: 'backup', name: 'Backup storage', status: 'active', settings: { region: 'eu' } });
    expect(created.headers.get('location')).toBe(`/api/v1/integrations/${integration.id}`);

    const path = `/api/v1/integrations/${integration.id}`;
    expect((await call('GET', path, { key: keys.read })).body).toMatchObject({ id: integration.id });
    expect((await call('GET', '/api/v1/integrations?status=active', { key: keys.read })).body).toMatchObject({
      integrations: [{ id: integration.id }],
    });
    expect((await call('GET', '/api/integrations/list', { key: keys.read })).body).toMatchObject({
      integrations: [{ id: integration.id }],
    });
    expect((await call('PATCH', path, { key: keys.admin, body: { name: 'Renamed' } })).body).toMatchObject({ name: 'Renamed' });
    expect((await call('POST', `${path}/test`, { key: keys.execute })).body).toMatchObject({ healthy: true });
    expect((await call('GET', `${path}/status`, { key: keys.read })).body).toMatchObject({ status: 'active', breaker: 'closed' });
    expect((await call('GET', `${path}/health`, { key: keys.read })).status).toBe(200);
    expect((await call('GET', `${path}/metrics?timeframe=1h`, { key: keys.read })).body).toMatchObject({ timeframe: '1h' });
    expect((await call('GET', `${path}/metrics?timeframe=1y`, { key: keys.read })).body).toMatchObject({
      errors: [{ field: 'query.timeframe' }],
    });
    expect((await call('POST', `${path}/disconnect`, { key: keys.admin })).body).toMatchObject({ status: 'disabled' });
    expect((await call('POST', `${path}/connect`, { key: keys.admin })).body).toMatchObject({ status: 'active' });
    expect((await call('DELETE', path, { key: keys.admin })).status).toBe(204);
    expect((await call('GET', path, { key: keys.read })).status).toBe(404);

    const audit = (await store.events.listRecent({ limit: 100 })).filter((event) => event.type.startsWith('audit.'));
    expect(audit.map((event) => event.type).reverse()).toEqual([
      'audit.integration.created',
      'audit.integration.updated',
      'audit.integration.disconnected',
      'audit.integration.connected',
      'audit.integration.deleted',
    ]);
    expect(audit[0]?.payload).toMatchObject({ keyName: 'test admin', workspaceId: 'default' });
    expect(JSON.stringify(audit)).not.toContain(keys.admin);
  });

  it('answers bad input with the field named and creates nothing; an unknown provider is a validation problem', async () => {
    running = await startTestServer();
    const { call, keys } = running;
    const missing = await call('POST', '/api/integrations/register', { key: keys.admin, body: { name: '' } });
    expect(missing.status).toBe(400);
    expect((missing.body as { errors: { field: string }[] }).errors.map((error) => error.field).sort()).toEqual([
      'body.name',
      'body.providerId',
    ]);
    const unknown = await call('POST', '/api/v1/integrations', { key: keys.admin, body: { providerId: 'nobody', name: 'x' } });
    expect(unknown.status).toBe(400);
    expect((await call('GET', '/api/v1/integrations', { key: keys.read })).body).toEqual({ integrations: [] });
  });
});

describe('API keys over HTTP', () => {
  it('issues, lists, rotates with a grace period and revokes keys of the workspace, auditing each; a revoked key stops at once', async () => {
    running = await startTestServer();
    const { call, keys, store } = running;
    const issued = await call('POST', '/api/v1/keys', { key: keys.admin, body: { name: 'deploy bot', scopes: ['execute'] } });
    expect(issued.status).toBe(201);
    const { id, key } = issued.body as { id: string; key: string };
    expect(key).toMatch(/^syk_/);
    const listed = await call('GET', '/api/v1/keys', { key: keys.admin });
    expect(listed.text).not.toContain(key);
    expect(listed.text).not.toMatch(/secretHash/);
    expect((await call('GET', '/api/v1/keys', { key: keys.execute })).status).toBe(403);

    const rotated = await call('POST', `/api/v1/keys/${id}/rotate`, { key: keys.admin, body: { graceSeconds: 3600 } });
    expect(rotated.status).toBe(201);
    const replacement = (rotated.body as { key: string }).key;
    // Both work during the grace period.
    expect((await call('GET', '/api/v1/tools', { key })).status).toBe(200);
    expect((await call('GET', '/api/v1/tools', { key: replacement })).status).toBe(200);

    expect((await call('POST', `/api/v1/keys/${id}/revoke`, { key: keys.admin })).body).toMatchObject({
      id,
      revokedAt: expect.any(String) as string,
    });
    expect((await call('GET', '/api/v1/tools', { key })).status).toBe(401);
    expect((await call('POST', '/api/v1/keys/0000000000000000/revoke', { key: keys.admin })).status).toBe(404);

    const audit = (await store.events.listRecent({ limit: 100 })).filter((event) => event.type.startsWith('audit.api_key'));
    expect(audit.map((event) => event.type).reverse()).toEqual(['audit.api_key.created', 'audit.api_key.rotated', 'audit.api_key.revoked']);
    expect(JSON.stringify(audit)).not.toContain(key);
  });
});
