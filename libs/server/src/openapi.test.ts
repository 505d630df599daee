import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './__fixtures__/server-test-kit';

let running: TestServer;
beforeAll(async () => {
  running = await startTestServer();
});
afterAll(async () => {
  await running.close();
});

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1 (an independent validator, @seriousme/openapi-schema-validator)', async () => {
    const document = (await running.call('GET', '/openapi.json')).body as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('the validator can fail: a document with a broken reference and an undeclared path parameter is refused', async () => {
    const document = structuredClone(running.server.openApi()) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    document.paths['/api/v1/tools/{name}']!.post!.parameters = [];
    (document.paths['/api/v1/execute']!.post!.responses as Record<string, unknown>)['200'] = { description: 1 };
    const result = await new Validator().validate(document);
    expect(result.valid).toBe(false);
  });

  it('documents every route the server answers, once, with a unique operationId, and needs a key everywhere but the public routes', () => {
    const { server } = running;
    const document = server.openApi() as { paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>> };
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    expect(operations).toHaveLength(server.routes.length);
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const open = operations
      .filter((operation) => Array.isArray(operation.security) && operation.security.length === 0)
      .map((operation) => operation.operationId);
    expect(open.sort()).toEqual(expect.arrayContaining(['healthz', 'openApiDocument', 'readyz', 'receiveWebhook', 'reference']));
    expect(open).not.toContain('execute');
  });
});
