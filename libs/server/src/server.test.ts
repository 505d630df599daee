import { afterEach, describe, expect, it } from 'vitest';
import { PLANTED_SECRET, startTestServer, type TestServer } from './__fixtures__/server-test-kit';

let running: TestServer | undefined;

async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  running = await startTestServer(options);
  return running;
}

afterEach(async () => {
  await running?.close();
  running = undefined;
});

const put = {
  capability: 'storage',
  operation: 'putObject',
  input: { bucket: 'reports', key: 'q3.txt', body: 'revenue up', encoding: 'utf8' },
};

describe('POST /api/v1/execute', () => {
  it('runs an operation through the router: the failing primary is left for the backup, and the object reads back', async () => {
    const { call, keys, primary } = await start();
    const written = await call('POST', '/api/v1/execute', { key: keys.execute, body: put });
    expect(written.status).toBe(200);
    expect(written.body).toMatchObject({ provider: 'backup', failedAttempts: [{ provider: 'primary', kind: 'network' }] });
    expect(primary.calls).toEqual(['putObject']);
    expect(written.text).not.toContain(PLANTED_SECRET);

    const read = await call('POST', '/api/v1/execute', {
      key: keys.execute,
      body: { capability: 'storage', operation: 'getObject', input: { bucket: 'reports', key: 'q3.txt' } },
    });
    expect(read.body).toMatchObject({ value: { body: 'revenue up' }, provider: 'backup' });
  });

  it('answers bad input with 400 problem details naming every field, and calls no provider', async () => {
    const { call, keys, primary } = await start();
    const missing = await call('POST', '/api/v1/execute', { key: keys.execute, body: { capability: 'storage', input: 'not an object' } });
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({ status: 400, kind: 'validation', isRetryable: false });
    const fields = (missing.body as { errors: { field: string }[] }).errors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['body.operation', 'body.input']));

    const badInput = await call('POST', '/api/v1/execute', {
      key: keys.execute,
      body: { capability: 'storage', operation: 'putObject', input: { bucket: 'reports' } },
    });
    expect(badInput.status).toBe(400);
    expect((badInput.body as { errors: { field: string }[] }).errors.map((error) => error.field)).toContain('body.input.key');

    const unknown = await call('POST', '/api/v1/execute', {
      key: keys.execute,
      body: { capability: 'teleport', operation: 'beam', input: {} },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ kind: 'unsupported' });

    // Direct: Prism refuses malformed JSON itself before the server sees it.
    const notJson = await call('POST', '/api/v1/execute', {
      direct: true,
      key: keys.execute,
      raw: '{"capability":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ kind: 'validation', errors: [{ field: 'body' }] });
    expect(primary.calls).toEqual([]);
  });

  it('reports a provider failure as a problem with the attempts, without the planted secret', async () => {
    const { call, keys } = await start();
    const failed = await call('POST', '/api/v1/execute', { key: keys.execute, body: { ...put, only: ['primary'] } });
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ kind: 'network', isRetryable: true, attempts: [{ provider: 'primary', kind: 'network' }] });
    expect(failed.text).not.toContain(PLANTED_SECRET);
    expect(failed.text).toContain('[REDACTED]');
  });
});

describe('auth and limits', () => {
  it('answers 401 without detail for no, unknown or malformed keys, and 403 for a key without the scope', async () => {
    const { call, keys } = await start();
    for (const key of [undefined, 'syk_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'hunter2']) {
      const refused = await call('POST', '/api/v1/execute', { key, body: put });
      expect(refused.status, String(key)).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer');
      expect(refused.body).toMatchObject({ kind: 'unauthorized' });
      if (key !== undefined) expect(refused.text).not.toContain(key);
    }
    const readOnly = await call('POST', '/api/v1/execute', { key: keys.read, body: put });
    expect(readOnly.status).toBe(403);
    expect(readOnly.body).toMatchObject({ kind: 'forbidden' });
    expect((await call('GET', '/api/v1/tools', { key: keys.read })).status).toBe(200);
    expect((await call('POST', '/api/v1/integrations', { key: keys.execute, body: { providerId: 'backup', name: 'x' } })).status).toBe(403);
  });

  it('limits each key: 429 with Retry-After past its burst, other keys unaffected', async () => {
    const { call, keys } = await start({ rateLimit: { requestsPerSecond: 1, burst: 3 } });
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) statuses.push((await call('GET', '/api/v1/providers', { key: keys.read })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await call('GET', '/api/v1/providers', { key: keys.read });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ kind: 'rate_limit', isRetryable: true });
    expect((await call('GET', '/api/v1/providers', { key: keys.admin })).status).toBe(200);
  });

  it('refuses a body over the limit with 413 and calls nothing', async () => {
    const { call, keys, primary } = await start({ bodyLimitBytes: 1024 });
    const large = await call('POST', '/api/v1/execute', {
      key: keys.execute,
      body: { ...put, input: { ...put.input, body: 'x'.repeat(4096) } },
    });
    expect(large.status).toBe(413);
    expect(large.body).toMatchObject({ kind: 'payload_too_large' });
    expect(primary.calls).toEqual([]);
  });

  it('sends no CORS headers unless the origin is configured', async () => {
    const closed = await start();
    // Direct: Prism adds CORS headers of its own.
    const denied = await closed.call('GET', '/healthz', { headers: { origin: 'https://evil.example' }, direct: true });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    await closed.close();
    const open = await start({ corsOrigins: ['https://app.example'] });
    const preflight = await open.call('OPTIONS', '/api/v1/execute', {
      direct: true,
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(
      (await open.call('GET', '/healthz', { headers: { origin: 'https://evil.example' }, direct: true })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();
  });
});

describe('tools, explain and providers', () => {
  it('lists tools with schemas, calls one (404 for an unknown name, 400 naming the argument), explains a route and lists providers', async () => {
    const { call, keys } = await start();
    const tools = (await call('GET', '/api/v1/tools', { key: keys.read })).body as { tools: { name: string; annotations: object }[] };
    expect(tools.tools.map((tool) => tool.name)).toContain('storage_put_object');

    const called = await call('POST', '/api/v1/tools/storage_put_object', { key: keys.execute, body: put.input });
    expect(called.status).toBe(200);
    expect(called.body).toMatchObject({ result: { bucket: 'reports', key: 'q3.txt' } });
    expect((await call('POST', '/api/v1/tools/teleport_beam', { key: keys.execute, body: {} })).status).toBe(404);
    const invalid = await call('POST', '/api/v1/tools/storage_put_object', { key: keys.execute, body: { bucket: 'reports' } });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { errors: { field: string }[] }).errors.map((error) => error.field)).toContain('body.key');

    const explained = await call('GET', '/api/v1/explain?capability=storage&operation=putObject&exclude=backup', { key: keys.read });
    expect(explained.status).toBe(200);
    expect(explained.body).toMatchObject({ capability: 'storage', operation: 'putObject' });
    expect((await call('GET', '/api/v1/explain?capability=storage', { key: keys.read })).body).toMatchObject({
      errors: [{ field: 'query.operation' }],
    });

    const providers = (await call('GET', '/api/v1/providers', { key: keys.read })).body as { providers: { id: string; breaker: string }[] };
    expect(providers.providers.map((provider) => provider.id)).toEqual(['primary', 'backup', 'github', 'slack']);
  });
});

describe('operations', () => {
  it('serves healthz, readyz, the OpenAPI document and its reference page without a key, and metrics with one', async () => {
    const { call, keys } = await start();
    expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await call('GET', '/readyz')).body).toEqual({ status: 'ready' });
    const document = (await call('GET', '/openapi.json')).body as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/execute', '/api/v1/tools/{name}', '/api/integrations/webhook/{name}']),
    );
    const page = await call('GET', '/docs');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('POST /api/v1/execute');

    await call('POST', '/api/v1/execute', { key: keys.execute, body: put });
    expect((await call('GET', '/metrics')).status).toBe(401);
    const metrics = await call('GET', '/metrics', { key: keys.read });
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.text).toMatch(/switchyard_http_requests_total\{method="POST",route="\/api\/v1\/execute",status="200"\} 1/);
    expect(metrics.text).toMatch(
      /switchyard_hub_failovers_total\{capability="storage",operation="putObject",from="primary",to="backup"\} 1/,
    );
    expect(metrics.text).toMatch(/switchyard_provider_breaker_state\{provider="primary"\} 0/);
    // Histogram buckets are cumulative and end at the count.
    const buckets = [
      ...metrics.text.matchAll(
        /switchyard_http_request_duration_seconds_bucket\{method="POST",route="\/api\/v1\/execute",le="[^"]+"\} (\d+)/g,
      ),
    ].map((match) => Number(match[1]));
    expect(buckets).toHaveLength(13);
    expect(buckets).toEqual([...buckets].sort((left, right) => left - right));
    expect(buckets.at(-1)).toBe(1);
    expect((await call('GET', '/nowhere')).body).toMatchObject({ status: 404, kind: 'not_found' });
  });
});
