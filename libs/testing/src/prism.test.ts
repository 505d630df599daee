import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNullableSchemasValidatable, startPrism, type Prism } from './prism';

// A two-route description: GET /pets/{id} answers a pet whose `owner` is "an owner, or null" written the way
// GitHub writes it (nullable next to allOf, no type), which Prism cannot compile unless rewritten.
const description = {
  openapi: '3.0.3',
  info: { title: 'pets', version: '1' },
  paths: {
    '/pets/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          '200': {
            description: 'a pet',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id', 'owner'],
                  properties: { id: { type: 'integer' }, owner: { nullable: true, allOf: [{ $ref: '#/components/schemas/owner' }] } },
                },
              },
            },
          },
        },
      },
    },
  },
  components: { schemas: { owner: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
};

let upstream: Server;
let prism: Prism;
let directory: string;
const answers = new Map<string, unknown>([
  ['/pets/1', { id: 1, owner: { name: 'Ada' } }],
  ['/pets/2', { id: 2, owner: null }],
  ['/pets/3', { id: 3, owner: { nickname: 'no name' } }],
  ['/pets/4', { id: 'four', owner: null }],
]);

beforeAll(async () => {
  upstream = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answers.get(request.url ?? '') ?? {}));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  directory = mkdtempSync(join(tmpdir(), 'prism-test-'));
  const source = join(directory, 'pets.json');
  writeFileSync(source, JSON.stringify(description));
  prism = await startPrism({ name: 'pets', spec: source, upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
}, 60_000);

afterAll(async () => {
  await prism?.stop();
  rmSync(directory, { recursive: true, force: true });
  await new Promise((resolve) => upstream?.close(resolve));
});

describe('startPrism as a validating proxy', () => {
  it('passes answers the description allows, including null where it means "or null"', async () => {
    for (const path of ['/pets/1', '/pets/2']) {
      const response = await prism.fetch(`${prism.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.json()).toEqual(answers.get(path));
    }
    expect(prism.errorViolations()).toEqual([]);
  });

  it('refuses answers that break it (500, with the violations recorded), including inside the rewritten schema', async () => {
    for (const path of ['/pets/3', '/pets/4']) {
      const response = await prism.fetch(`${prism.url}${path}`);
      expect(response.status, path).toBe(500);
      await response.body?.cancel();
    }
    expect(prism.errorViolations().join('\n')).toMatch(/GET \/pets\/3 → 500: response\.body\.owner/);
    expect(prism.errorViolations().join('\n')).toMatch(/GET \/pets\/4 → 500: response\.body\.id/);
  });

  it('refuses requests that break it (422) before the upstream sees them, and routes it does not describe', async () => {
    const bad = await prism.fetch(`${prism.url}/pets/not-a-number`);
    expect(bad.status).toBe(422);
    await bad.body?.cancel();
    expect(prism.exchanges.at(-1)?.violations).toEqual([expect.objectContaining({ location: ['request', 'path', 'id'] })]);
    const unknown = await prism.fetch(`${prism.url}/owners`);
    expect(unknown.status).toBe(404);
    await unknown.body?.cancel();
  });
});

describe('makeNullableSchemasValidatable', () => {
  it('rewrites nullable without type to "the schema, or null", and leaves typed nullables alone', () => {
    const document = {
      a: { nullable: true, description: 'kept', allOf: [{ $ref: '#/x' }] },
      b: { type: 'string', nullable: true },
      c: [{ nullable: true, oneOf: [{ type: 'integer' }, { type: 'string' }] }],
    };
    expect(makeNullableSchemasValidatable(document)).toBe(2);
    expect(document).toEqual({
      a: { description: 'kept', anyOf: [{ allOf: [{ $ref: '#/x' }] }, { type: 'null' }] },
      b: { type: 'string', nullable: true },
      c: [{ anyOf: [{ oneOf: [{ type: 'integer' }, { type: 'string' }] }, { type: 'null' }] }],
    });
  });
});
