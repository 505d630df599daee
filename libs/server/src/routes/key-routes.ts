import { API_KEY_SCOPES, type ApiKeyRecord, type ApiKeys } from '@switchyard/platform';
import { z } from 'zod';
import { defineRoute, respond, type AnyRouteSpec } from '../http/route';
import type { ServerEvents } from '../http/server-events';

const keySchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  revokedAt: z.string().optional(),
  lastUsedAt: z.string().optional(),
});
const issuedSchema = keySchema.extend({ key: z.string().describe('The API key (syk_...): shown this once, stored only as a hash') });
const idParams = z.object({ id: z.string().min(1).max(255).describe('The key id (the 16 hex characters after syk_)') });

/** A key as the API shows it: never its hash. */
function visible(record: ApiKeyRecord): z.output<typeof keySchema> {
  return {
    id: record.id,
    workspaceId: record.workspaceId,
    name: record.name,
    scopes: [...record.scopes],
    createdAt: record.createdAt,
    ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
    ...(record.revokedAt === undefined ? {} : { revokedAt: record.revokedAt }),
    ...(record.lastUsedAt === undefined ? {} : { lastUsedAt: record.lastUsedAt }),
  };
}

/**
 * API keys of the caller's workspace, for admins: list, issue, rotate (the old
 * key keeps working for a grace period) and revoke, each in the audit log. A
 * key of another workspace is not found.
 */
export function keyRoutes(dependencies: { readonly events: ServerEvents; readonly apiKeys: ApiKeys }): AnyRouteSpec[] {
  // The server's own ApiKeys, so a rotation or revocation also clears what this process has cached; ownership is checked
  // on the caller's workspace view first.
  const { events, apiKeys } = dependencies;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/keys',
      operationId: 'listApiKeys',
      summary: "The workspace's API keys (never the keys themselves)",
      tags: ['api keys'],
      scope: 'admin',
      responses: { 200: { description: 'Oldest first', schema: z.object({ keys: z.array(keySchema) }) } },
      handle: async (_input, { store }) => ({ keys: (await store.apiKeys.list()).map(visible) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/keys',
      operationId: 'createApiKey',
      summary: 'Issue an API key in the caller’s workspace',
      tags: ['api keys'],
      scope: 'admin',
      body: z.object({
        name: z.string().min(1).max(255),
        scopes: z.array(z.enum(API_KEY_SCOPES)).min(1),
        expiresInDays: z.int().min(1).max(3650).optional(),
      }),
      responses: { 201: { description: 'Issued; the key is in this answer only', schema: issuedSchema } },
      async handle({ body }, context) {
        const expiresAt = body.expiresInDays === undefined ? undefined : new Date(Date.now() + body.expiresInDays * 86_400_000);
        const { key, record } = await apiKeys.issue({ workspaceId: context.workspaceId, name: body.name, scopes: body.scopes, expiresAt });
        await events.audit(context, 'api_key.created');
        return respond(201, { ...visible(record), key });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/keys/:id/rotate',
      operationId: 'rotateApiKey',
      summary: 'Issue a replacement; the old key works for the grace period, then expires',
      tags: ['api keys'],
      scope: 'admin',
      params: idParams,
      body: z.object({
        graceSeconds: z
          .int()
          .min(0)
          .max(30 * 86_400)
          .default(86_400),
      }),
      responses: { 201: { description: 'The replacement; the key is in this answer only', schema: issuedSchema } },
      async handle({ params, body }, context) {
        await context.store.apiKeys.get(params.id);
        const { key, record } = await apiKeys.rotate(params.id, { graceMs: body.graceSeconds * 1000 });
        await events.audit(context, 'api_key.rotated');
        return respond(201, { ...visible(record), key });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/keys/:id/revoke',
      operationId: 'revokeApiKey',
      summary: 'Stop a key at once (within 5 s in other server processes)',
      tags: ['api keys'],
      scope: 'admin',
      params: idParams,
      responses: { 200: { description: 'The revoked key', schema: keySchema } },
      async handle({ params }, context) {
        await context.store.apiKeys.get(params.id);
        const record = await apiKeys.revoke(params.id);
        await events.audit(context, 'api_key.revoked');
        return visible(record);
      },
    }),
  ];
}
