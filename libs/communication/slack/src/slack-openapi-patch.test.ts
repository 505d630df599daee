import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { patchSlackOpenApi, PATCHED_METHODS, slackOpenApiPath } from './__peers__/slack-openapi-patch';

type Operation = { parameters?: { name: string }[]; requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> } };

describe("the patch of Slack's OpenAPI description", () => {
  const original = JSON.parse(readFileSync(slackOpenApiPath(), 'utf8')) as { paths: Record<string, Record<string, Operation>> };
  const patched = patchSlackOpenApi(original) as typeof original;

  it('turns the GET methods into form or JSON POSTs carrying the former query parameters, without token', () => {
    expect(Object.keys(original.paths['/users.info'] ?? {})).toEqual(['get']);
    const usersInfo = patched.paths['/users.info']?.post;
    expect(Object.keys(patched.paths['/users.info'] ?? {})).toEqual(['post']);
    expect(usersInfo?.parameters).toEqual([]);
    expect(Object.keys(usersInfo?.requestBody?.content ?? {})).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    expect(Object.keys(usersInfo?.requestBody?.content['application/x-www-form-urlencoded']?.schema.properties ?? {}).sort()).toEqual(['include_locale', 'user']);
    expect(patched.paths['/conversations.list']?.post?.requestBody?.content['application/json']?.schema.properties).toHaveProperty('limit', expect.objectContaining({ type: 'integer' }));
  });

  it('drops the token header from the POST methods and keeps their published bodies', () => {
    for (const method of PATCHED_METHODS) {
      const operation = patched.paths[`/${method}`]?.post;
      expect(operation?.parameters?.some((parameter) => parameter.name === 'token'), method).toBe(false);
    }
    expect(patched.paths['/chat.update']?.post?.requestBody?.content['application/x-www-form-urlencoded']?.schema.required).toEqual(['channel', 'ts']);
    expect(original.paths['/chat.update']?.post?.parameters?.map((parameter) => parameter.name)).toEqual(['token']);
  });
});
