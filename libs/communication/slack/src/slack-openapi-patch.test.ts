import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { patchSlackOpenApi, PATCHED_METHODS, slackOpenApiPath, unwrapTypelessItems } from './__peers__/slack-openapi-patch';

type Operation = {
  parameters?: { name: string }[];
  requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> };
  responses: Record<string, { content: Record<string, { schema: { anyOf?: { title?: string; required?: string[] }[]; title?: string } }> }>;
};

describe("the patch of Slack's OpenAPI description", () => {
  const original = JSON.parse(readFileSync(slackOpenApiPath(), 'utf8')) as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Record<string, unknown>> };
  };
  const patched = patchSlackOpenApi(original) as typeof original;

  it('turns the GET methods into form or JSON POSTs carrying the former query parameters, without token', () => {
    expect(Object.keys(original.paths['/users.info'] ?? {})).toEqual(['get']);
    const usersInfo = patched.paths['/users.info']?.post;
    expect(Object.keys(patched.paths['/users.info'] ?? {})).toEqual(['post']);
    expect(usersInfo?.parameters).toEqual([]);
    expect(Object.keys(usersInfo?.requestBody?.content ?? {})).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    expect(Object.keys(usersInfo?.requestBody?.content['application/x-www-form-urlencoded']?.schema.properties ?? {}).sort()).toEqual([
      'include_locale',
      'user',
    ]);
    expect(patched.paths['/conversations.list']?.post?.requestBody?.content['application/json']?.schema.properties).toHaveProperty(
      'limit',
      expect.objectContaining({ type: 'integer' }),
    );
  });

  it('drops the token header from the POST methods and keeps their published bodies', () => {
    for (const method of PATCHED_METHODS) {
      const operation = patched.paths[`/${method}`]?.post;
      expect(
        operation?.parameters?.some((parameter) => parameter.name === 'token'),
        method,
      ).toBe(false);
    }
    expect(patched.paths['/chat.update']?.post?.requestBody?.content['application/x-www-form-urlencoded']?.schema.required).toEqual([
      'channel',
      'ts',
    ]);
    expect(original.paths['/chat.update']?.post?.parameters?.map((parameter) => parameter.name)).toEqual(['token']);
  });

  it('lets the HTTP 200 answer be the success or the error schema, since Slack answers errors with 200', () => {
    expect(Object.keys(original.paths['/users.info']?.get?.responses['200']?.content['application/json']?.schema ?? {})).not.toContain(
      'anyOf',
    );
    for (const method of PATCHED_METHODS) {
      const published = Object.values(original.paths[`/${method}`] ?? {})[0]?.responses;
      const schema = patched.paths[`/${method}`]?.post?.responses['200']?.content['application/json']?.schema;
      expect(
        schema?.anyOf?.map((branch) => branch.title),
        method,
      ).toEqual([
        published?.['200']?.content['application/json']?.schema.title,
        published?.default?.content['application/json']?.schema.title,
      ]);
      expect(schema?.anyOf?.[1]?.required, method).toEqual(['ok', 'error']);
    }
  });

  it('unwraps the typeless `items` wrappers, so users, conversations and paging are checked', () => {
    expect(Object.keys(original.components.schemas.objs_user ?? {})).toEqual(['items']);
    const user = patched.components.schemas.objs_user as { anyOf?: { required?: string[] }[] };
    expect(Object.keys(user)).toEqual(['anyOf']);
    expect(user.anyOf?.map((branch) => branch.required)).toEqual([
      expect.arrayContaining(['id', 'name', 'profile']),
      expect.arrayContaining(['id', 'name', 'profile']),
    ]);
    expect(patched.components.schemas.objs_conversation).toHaveProperty('anyOf');
    const withItemsProperty = { type: 'object', properties: { items: { items: { anyOf: [{ type: 'string' }] } } } };
    expect(unwrapTypelessItems({ schema: structuredClone(withItemsProperty) })).toBe(1);
    const document = { schema: structuredClone(withItemsProperty) };
    unwrapTypelessItems(document);
    expect(document.schema.properties.items).toEqual({ anyOf: [{ type: 'string' }] });
    expect(unwrapTypelessItems({ list: { type: 'array', items: { anyOf: [{ type: 'string' }] } } })).toBe(0);
  });
});
