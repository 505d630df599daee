import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { capabilityContracts } from '../capabilities/catalog';
import { IntegrationError } from '../errors/integration-error';
import { SecretSet } from '../errors/redact';
import type { HubEvents } from '../events/hub-events';
import { createFakeProvider } from '../testing/fake-provider';
import { errorOf, fakeProvider, lookup, testHub } from '../router/test-fixtures';
import { createHub } from './create-hub';
import { integrationErrorOf } from '../testing/integration-error-of';

describe('registration', () => {
  it('names the bad field of an invalid provider', () => {
    const hub = createHub();
    const provider = fakeProvider('ok');
    expect(() => hub.register({ ...provider, specificationVersion: 'v2' as 'v1' })).toThrow(/specificationVersion: must be "v1"/);
    expect(() => hub.register({ ...provider, manifest: { ...provider.manifest, docsUrl: 'nope' } })).toThrow(
      /docsUrl: must be an https URL/,
    );
    expect(() =>
      hub.register(createFakeProvider({ id: 'typo', capabilities: [{ name: 'storage', version: 1, operations: ['putObjekt'] }] })),
    ).toThrow(/manifest\.capabilities\.0\.operations\.0: storage v1 has no operation "putObjekt" \(it has putObject, getObject/);
    expect(() =>
      hub.register(createFakeProvider({ id: 'future', capabilities: [{ name: 'crm', version: 1, operations: ['createContact'] }] })),
    ).toThrow(/manifest\.capabilities\.0: crm v1 has no contract: the hub knows none and the provider carries none/);
  });

  it('refuses a second provider with the same id', () => {
    const hub = testHub([fakeProvider('twice')]);
    expect(() => hub.register(fakeProvider('twice'))).toThrow(expect.objectContaining({ kind: 'conflict' }) as Error);
  });

  it('finds, searches and counts providers', () => {
    const hub = testHub([
      fakeProvider('alpha'),
      createFakeProvider({ id: 'beta', category: 'code', capabilities: [{ name: 'issues', version: 1, operations: ['getIssue'] }] }),
    ]);
    expect(hub.registry.findByCapability('analytics', 'lookup').map((provider) => provider.manifest.id)).toEqual(['alpha']);
    expect(hub.registry.findByCategory('code').map((provider) => provider.manifest.id)).toEqual(['beta']);
    expect(hub.registry.search('getiss').map((provider) => provider.manifest.id)).toEqual(['beta']);
    expect(hub.registry.statistics()).toEqual({
      providers: 2,
      byCategory: { cloud: 1, code: 1 },
      byCapability: { analytics: 1, issues: 1 },
      operations: 3,
      providerOperations: 0,
    });
    expect(hub.unregister('alpha')).toBe(true);
    expect(hub.registry.findByCapability('analytics')).toEqual([]);
  });
});

describe('validation of every operation', () => {
  it('rejects invalid input to any operation of any contract before a provider is called', async () => {
    const provider = createFakeProvider({
      id: 'everything',
      capabilities: capabilityContracts.map((contract) => ({
        name: contract.name,
        version: contract.version,
        operations: Object.keys(contract.operations),
      })),
      handle: () => ({}),
    });
    const hub = createHub({ providers: [provider] });
    let checked = 0;
    for (const contract of capabilityContracts) {
      for (const operation of Object.keys(contract.operations)) {
        for (const input of [undefined, null, 42, 'text', { unexpectedField: true }]) {
          const error = await integrationErrorOf(hub.execute({ capability: contract.name, operation, input }));
          expect(error.kind, `${contract.name}.${operation}`).toBe('validation');
          expect(error.message).toContain(`Invalid input for ${contract.name}.${operation}`);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(provider.calls).toHaveLength(0);
  });
});

describe('metrics, cost and health', () => {
  it('counts calls and failures, latency percentiles and accumulated cost', async () => {
    const priced = fakeProvider('priced', { costs: { 'analytics.lookup': 0.002 } });
    const hub = testHub([priced]);
    for (let index = 0; index < 10; index += 1) await lookup(hub);
    priced.failWith(errorOf('not_found'));
    await lookup(hub).catch(() => undefined);
    const metrics = hub.metrics().priced!;
    expect(metrics).toMatchObject({ calls: 11, successes: 10, failures: 1, inFlight: 0, lastError: { kind: 'not_found' } });
    expect(metrics.cost).toBeCloseTo(0.02, 10);
    expect(metrics.latencyP50Ms).toBeGreaterThanOrEqual(0);
    expect(metrics.latencyP95Ms).toBeGreaterThanOrEqual(metrics.latencyP50Ms!);
    expect(metrics.breaker).toMatchObject({ version: 1, state: 'closed' });
    expect(JSON.parse(JSON.stringify(metrics.breaker))).toEqual(metrics.breaker);
  });

  it('runs health checks that feed the score', async () => {
    const sick = fakeProvider('sick', { name: 'Sick' });
    const well = fakeProvider('well');
    const reports: HubEvents['health'][] = [];
    const hub = testHub([sick, well], { events: { health: (event) => reports.push(event) } });
    sick.failWith(errorOf('network', 'connection refused'));
    const health = await hub.health();
    expect(health.map(({ provider, healthy, checked }) => ({ provider, healthy, checked }))).toEqual([
      { provider: 'sick', healthy: false, checked: true },
      { provider: 'well', healthy: true, checked: true },
    ]);
    expect(reports.find((report) => report.provider === 'sick')?.error).toEqual({ kind: 'network', message: 'connection refused' });
    const explained = hub.explain({ capability: 'analytics', operation: 'lookup' });
    expect(explained.candidates.map((candidate) => candidate.provider)).toEqual(['well', 'sick']);
    expect(explained.candidates[1]!.terms!.successRate).toBeLessThan(1);
  });

  it('reports each service of a multi-service provider and counts it unhealthy when one is down', async () => {
    const secret = 'planted-sas-signature-5d1c';
    const secrets = new SecretSet();
    secrets.add(secret);
    const cloud = Object.assign(fakeProvider('cloud'), {
      secrets,
      healthCheck: () =>
        Promise.resolve({
          services: [
            { service: 'storage', reachable: true, latencyMs: 3 },
            {
              service: 'compute',
              reachable: false,
              latencyMs: 5000,
              error: { kind: 'timeout', message: `no answer from https://vm.example/ with ${secret}` },
            },
          ],
        }),
    });
    const hub = testHub([cloud]);
    const [report] = await hub.health();
    expect(report).toMatchObject({ provider: 'cloud', healthy: false, checked: true, error: { kind: 'provider' } });
    expect(report?.error?.message).toContain('compute');
    expect(report?.services?.map((service) => [service.service, service.reachable])).toEqual([
      ['storage', true],
      ['compute', false],
    ]);
    expect(JSON.stringify(report)).not.toContain(secret);
  });
});

describe('rate limits', () => {
  it('fails over when a provider is out of tokens and the wait would not fit', async () => {
    const limited = fakeProvider('limited', { rateLimits: [{ requests: 2, intervalMs: 60_000 }] });
    const events: HubEvents['ratelimit'][] = [];
    const hub = testHub([limited, fakeProvider('spare')], {
      routing: { providers: { limited: { weight: 5 } } },
      events: { ratelimit: (event) => events.push(event) },
    });
    const served = [];
    for (let index = 0; index < 4; index += 1) served.push((await lookup(hub)).provider);
    expect(served.slice(0, 2)).toEqual(['limited', 'limited']);
    expect(served.slice(2)).toEqual(['spare', 'spare']);
    expect(events[0]).toMatchObject({ provider: 'limited', action: 'skipped' });
    expect(
      hub.explain({ capability: 'analytics', operation: 'lookup' }).candidates.find((candidate) => candidate.provider === 'limited')!
        .headroom,
    ).toBeLessThan(0.01);
  });

  it('pauses a provider that answers 429 with Retry-After, and says so in explain', async () => {
    const throttled = fakeProvider('throttled');
    throttled.failWith(
      () => new IntegrationError({ kind: 'rate_limit', message: 'secondary rate limit', statusCode: 429, retryAfterMs: 60_000 }),
      { times: 1 },
    );
    const hub = testHub([throttled, fakeProvider('spare')], {
      routing: { retry: { retries: 0 }, providers: { throttled: { weight: 5 } } },
    });
    expect((await lookup(hub)).provider).toBe('spare');
    const candidate = hub
      .explain({ capability: 'analytics', operation: 'lookup' })
      .candidates.find((entry) => entry.provider === 'throttled')!;
    expect(candidate.eligible).toBe(false);
    expect(candidate.reason).toMatch(/asked to wait \d+ ms \(Retry-After\)/);
    expect(candidate.pausedForMs).toBeGreaterThan(59_000);
    expect((await lookup(hub)).provider).toBe('spare');
  });

  it('lowers the score as the API reports its limit running down, and skips the provider once it is used up', async () => {
    let remaining = 5000;
    const reporting = fakeProvider('reporting', {
      handle: (request, context) => {
        // As a provider would after reading x-ratelimit-remaining / -limit / -reset from a response.
        remaining = remaining === 5000 ? 250 : 0;
        context.reportRateLimit?.({ remaining, limit: 5000, resetAt: Date.now() + 30_000 });
        return { key: (request.input as { key: string }).key, servedBy: 'reporting' };
      },
    });
    const ratelimits: HubEvents['ratelimit'][] = [];
    const hub = testHub([reporting, fakeProvider('spare')], {
      routing: { providers: { reporting: { weight: 50 } } },
      events: { ratelimit: (event) => ratelimits.push(event) },
    });
    const explain = () =>
      hub.explain({ capability: 'analytics', operation: 'lookup' }).candidates.find((entry) => entry.provider === 'reporting')!;
    const fresh = explain();
    expect(fresh.headroom).toBe(1);
    expect((await lookup(hub)).provider).toBe('reporting');
    const runningDown = explain();
    expect(runningDown.headroom).toBeCloseTo(0.05);
    expect(runningDown.terms?.headroom).toBeCloseTo(0.05);
    expect(runningDown.score).toBeLessThan(fresh.score!);
    expect(runningDown.eligible).toBe(true);
    expect((await lookup(hub)).provider).toBe('reporting');
    const usedUp = explain();
    expect(usedUp).toMatchObject({ eligible: false, headroom: 0 });
    expect(usedUp.reason).toMatch(/asked to wait \d+ ms \(rate limit used up: 0 calls remaining\)/);
    expect(usedUp.pausedForMs).toBeGreaterThan(29_000);
    expect(ratelimits).toContainEqual(expect.objectContaining({ provider: 'reporting', action: 'paused' }));
    expect((await lookup(hub)).provider).toBe('spare');
  });
});

describe('tools for AI agents', () => {
  const releaseNotes = {
    description: 'Publishes release notes.',
    input: z.strictObject({ tag: z.string().min(1) }),
    output: z.strictObject({ url: z.string() }),
    hints: { readOnly: false, destructive: false, idempotent: false },
    execute: (input: { tag: string }) => Promise.resolve({ url: `https://example.test/releases/${input.tag}` }),
  };

  it('keeps the tool list in step with the providers: a tool appears on register and goes on unregister', () => {
    const hub = testHub([fakeProvider('two')]);
    expect(hub.tools.get('one_publish_release_notes')).toBeUndefined();
    hub.register(fakeProvider('one', { operations: { publishReleaseNotes: releaseNotes } }));
    expect(hub.tools.get('one_publish_release_notes')?.target).toEqual({
      kind: 'provider',
      provider: 'one',
      operation: 'publishReleaseNotes',
    });
    expect(hub.tools.get('analytics_lookup')?.target).toMatchObject({ providers: ['two', 'one'] });
    hub.unregister('one');
    expect(hub.tools.get('one_publish_release_notes')).toBeUndefined();
    expect(hub.tools.list().map((tool) => tool.name)).toEqual(['analytics_lookup', 'analytics_record']);
  });

  it('lists routed operations and provider-specific ones with JSON Schemas and hints', () => {
    const hub = testHub([fakeProvider('one', { operations: { publishReleaseNotes: releaseNotes } }), fakeProvider('two')]);
    const tools = hub.tools.list();
    expect(tools.map((tool) => tool.name)).toEqual(['analytics_lookup', 'analytics_record', 'one_publish_release_notes']);
    expect(tools[0]).toMatchObject({
      inputSchema: {
        type: 'object',
        properties: { key: { type: 'string', minLength: 1 } },
        required: ['key'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: { key: { type: 'string' }, servedBy: { type: 'string' } },
        required: ['key', 'servedBy'],
        additionalProperties: false,
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      target: { kind: 'capability', capability: 'analytics', operation: 'lookup', providers: ['one', 'two'] },
    });
    expect(tools[0]!.description).toMatch(/routed across one, two with failover/);
    expect(tools[2]!.target).toEqual({ kind: 'provider', provider: 'one', operation: 'publishReleaseNotes' });
    expect(tools[2]!.outputSchema).toMatchObject({ type: 'object', properties: { url: { type: 'string' } }, required: ['url'] });
  });

  it('builds output schemas as the result reads, once per schema', () => {
    const withDefault = {
      ...releaseNotes,
      input: z.strictObject({ tag: z.string(), draft: z.boolean().default(false) }),
      output: z.strictObject({ url: z.string(), draft: z.boolean().default(false) }),
    };
    const hub = testHub([fakeProvider('one', { operations: { publishReleaseNotes: withDefault } })]);
    const [tool] = hub.tools.list().filter((candidate) => candidate.name === 'one_publish_release_notes');
    // As input a defaulted field may be left out; as output it is always there.
    expect(tool!.inputSchema.required).toEqual(['tag']);
    expect(tool!.outputSchema.required).toEqual(['url', 'draft']);
    const again = hub.tools.get('one_publish_release_notes')!;
    expect(again.outputSchema).toBe(tool!.outputSchema);
    expect(again.inputSchema).toBe(tool!.inputSchema);
  });

  it('calls tools through the router, validating arguments first', async () => {
    const hub = testHub([fakeProvider('one', { operations: { publishReleaseNotes: releaseNotes } })]);
    expect(await hub.tools.callTool('analytics_lookup', { key: 'k' })).toEqual({ key: 'k', servedBy: 'one' });
    expect(await hub.tools.callTool('one_publish_release_notes', { tag: 'v1.0.0' })).toEqual({
      url: 'https://example.test/releases/v1.0.0',
    });
    expect((await integrationErrorOf(hub.tools.callTool('analytics_lookup', { key: 3 }))).kind).toBe('validation');
    expect((await integrationErrorOf(hub.tools.callTool('one_publish_release_notes', {}))).kind).toBe('validation');
    expect(await integrationErrorOf(hub.tools.callTool('rm_rf', {}))).toMatchObject({
      kind: 'unsupported',
      message: 'No tool named "rm_rf"',
    });
  });

  it('gives every operation of every core contract a JSON Schema', () => {
    const hub = createHub({
      providers: [
        createFakeProvider({
          id: 'everything',
          capabilities: capabilityContracts.map((contract) => ({
            name: contract.name,
            version: contract.version,
            operations: Object.keys(contract.operations),
          })),
        }),
      ],
    });
    const tools = hub.tools.list();
    expect(tools.length).toBe(capabilityContracts.reduce((count, contract) => count + Object.keys(contract.operations).length, 0));
    for (const tool of tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.outputSchema.type, tool.name).toBe('object');
    }
  });
});

describe('typed facades', () => {
  it('route capability operations by name', async () => {
    const object = {
      bucket: 'reports',
      key: 'q3.txt',
      size: 2,
      etag: 'abc',
      contentType: 'text/plain',
      lastModified: '2026-11-22T00:00:00.000Z',
      metadata: {},
    };
    const storage = createFakeProvider({
      id: 'store',
      capabilities: [{ name: 'storage', version: 1, operations: ['headObject'] }],
      handle: () => object,
    });
    const hub = createHub({ providers: [storage] });
    const head = await hub.storage.headObject({ bucket: 'reports', key: 'q3.txt' });
    expect(head.size).toBe(2);
    expect((await integrationErrorOf(hub.storage.headObject({ bucket: 'Bad_Bucket', key: 'q3.txt' }))).message).toMatch(
      /bucket: may contain only lowercase letters/,
    );
  });
});

describe('periodic health checks', () => {
  it('run on their own when configured, and stop when the hub closes', async () => {
    const provider = fakeProvider('checked');
    const checks: HubEvents['health'][] = [];
    const hub = testHub([provider], { routing: { healthCheckIntervalMs: 10 }, events: { health: (event) => checks.push(event) } });
    for (let waited = 0; checks.length < 2 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(checks.length).toBeGreaterThanOrEqual(2);
    await hub.close();
    const after = checks.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(checks.length).toBe(after);
  });
});

describe('shared rate limits', () => {
  it('queue every call through the shared limiter, and fail clearly when the Redis client is not installed', async () => {
    const limited = fakeProvider('shared-limits', { rateLimits: [{ requests: 100, intervalMs: 1_000 }] });
    const hub = testHub([limited], {
      routing: { sharedRateLimits: { datastore: 'redis', clientOptions: { url: 'redis://127.0.0.1:6379' } } },
    });
    const error = await integrationErrorOf(lookup(hub));
    expect(error.message).toMatch(/redis/i);
    expect(limited.calls).toHaveLength(0);
    await hub.close();
  });
});
