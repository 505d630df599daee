import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, problemSchema } from './problem';
import type { AnyRouteSpec } from './route';

type JsonSchema = Record<string, unknown>;

/** Where the definitions of recursive schemas (`z.json()`) go: `components.schemas`, by a name made from their content. */
const sharedDefinitions = new Map<string, JsonSchema>();

function rewriteRefs(node: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, names));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as JsonSchema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && names.has(value) ? names.get(value) : rewriteRefs(value, names),
    ]),
  );
}

/**
 * A zod schema as OpenAPI 3.1 wants it: JSON Schema 2020-12 without the
 * `$schema` line, its local `$defs` (recursive schemas) moved to
 * `components.schemas` so their `$ref`s resolve inside the document.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const converted = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  delete converted.$schema;
  delete converted.id;
  const definitions = converted.$defs as Record<string, JsonSchema> | undefined;
  if (definitions === undefined) return converted;
  delete converted.$defs;
  const names = new Map(
    Object.entries(definitions).map(([local, definition]) => [
      `#/$defs/${local}`,
      `#/components/schemas/Schema${createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 12)}`,
    ]),
  );
  for (const [local, definition] of Object.entries(definitions)) {
    sharedDefinitions.set(names.get(`#/$defs/${local}`)!.split('/').pop()!, rewriteRefs(definition, names) as JsonSchema);
  }
  return rewriteRefs(converted, names) as JsonSchema;
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (schema === undefined) return [];
  const object = jsonSchemaOf(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

function operation(spec: AnyRouteSpec): JsonSchema {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    responses[status] =
      response.schema === undefined
        ? { description: response.description }
        : {
            description: response.description,
            content: {
              [response.contentType ?? 'application/json']: { schema: jsonSchemaOf(response.schema, 'output') },
              ...Object.fromEntries(
                (response.alternatives ?? []).map((alternative) => [
                  alternative.contentType,
                  { schema: jsonSchemaOf(alternative.schema, 'output') },
                ]),
              ),
            },
          };
  }
  const takesInput = spec.params !== undefined || spec.query !== undefined || spec.body !== undefined || spec.rawBody === true;
  if (takesInput && responses['400'] === undefined) responses['400'] = problemResponse('The request is invalid; `errors` names each field');
  if (spec.scope !== 'public') {
    responses['401'] = problemResponse('No valid API key');
    responses['403'] = problemResponse(`The API key lacks the ${spec.scope} scope`);
    responses['429'] = problemResponse('Too many requests for this key; see Retry-After');
  }
  if (spec.body !== undefined || spec.rawBody === true) responses['413'] ??= problemResponse('The body is over the size limit');
  responses.default = problemResponse('Any other error, as RFC 9457 problem details carrying the error kind');

  const requestBody =
    spec.rawBody === true
      ? {
          required: true,
          content: {
            'application/json': { schema: {} },
            'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: true } },
          },
        }
      : spec.body === undefined
        ? undefined
        : { required: true, content: { 'application/json': { schema: jsonSchemaOf(spec.body, 'input') } } };

  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    tags: [...spec.tags],
    ...(spec.scope === 'public' ? { security: [] } : {}),
    parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
    ...(requestBody === undefined ? {} : { requestBody }),
    responses,
  };
}

/** The OpenAPI 3.1 path of a Fastify URL: `/tools/:name` → `/tools/{name}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * The OpenAPI 3.1 document of the routes, built from the very zod schemas the
 * server checks requests with. Every route but the public ones needs a
 * bearer API key (`security: bearer`).
 */
export function openApiDocument(routes: readonly AnyRouteSpec[], info: { readonly title: string; readonly version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = openApiPath(spec.url);
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = operation(spec);
  }
  const problem = jsonSchemaOf(problemSchema, 'output');
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description:
        'Switchyard over HTTP: run capability operations and tools through the failover router, manage integrations, receive and send webhooks. Errors are RFC 9457 problem details (application/problem+json) with the error kind.',
    },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key from `switchyard keys create` (syk_...).' },
      },
      schemas: { Problem: problem, ...Object.fromEntries(sharedDefinitions) },
    },
  };
}
