import { INTEGRATION_STATUSES, METRICS_TIMEFRAMES_MS, type IntegrationsService } from '@switchyard/platform';
import type { ServerEvents } from '../http/server-events';
import { z } from 'zod';
import { defineRoute, respond, type AnyRouteSpec, type RouteContext } from '../http/route';

const integrationSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    providerId: z.string(),
    name: z.string(),
    settings: z.record(z.string(), z.unknown()),
    status: z.enum(INTEGRATION_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ description: 'A configured connection to one provider' });

const idParams = z.object({ id: z.string().min(1).max(255).describe('The integration id') });
const settings = z.record(z.string(), z.json()).describe('Non-secret settings (base URL, region, ...)');
const createBody = z.object({
  providerId: z.string().min(1).max(255).describe('A provider registered in the hub'),
  name: z.string().min(1).max(255),
  settings: settings.optional(),
  connect: z.boolean().default(true).describe('Test the connection and activate it (status active, or error)'),
});
const updateBody = z.object({ name: z.string().min(1).max(255).optional(), settings: settings.optional() });
const listQuery = z.object({
  providerId: z.string().min(1).max(255).optional(),
  status: z.enum(INTEGRATION_STATUSES).optional(),
});
const anyObject = z.record(z.string(), z.unknown());

/** Integration management: the v1 resource routes and the seeds' register/list/health/test forms. */
export function integrationRoutes(dependencies: { readonly events: ServerEvents }): AnyRouteSpec[] {
  const { events } = dependencies;
  const create = async (body: z.output<typeof createBody>, context: RouteContext) => {
    const { integrations } = context;
    const created = await integrations.createIntegration({
      providerId: body.providerId,
      name: body.name,
      ...(body.settings === undefined ? {} : { settings: body.settings }),
    });
    await events.audit(context, 'integration.created', created.id);
    // A failed connection test leaves the integration in `error`; creation itself succeeded.
    const record = body.connect ? await integrations.connect(created.id).catch(() => integrations.getIntegrationById(created.id)) : created;
    return respond(201, record, { location: `/api/v1/integrations/${encodeURIComponent(record.id)}` });
  };
  const listIntegrations = async ({ query }: { readonly query: z.output<typeof listQuery> }, { integrations }: RouteContext) => ({
    integrations: await integrations.getIntegrations(query),
  });
  const integrationResponse = { 200: { description: 'The integration', schema: integrationSchema } };
  const listResponse = {
    200: { description: 'Integrations, oldest first', schema: z.object({ integrations: z.array(integrationSchema) }) },
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/integrations',
      operationId: 'listIntegrations',
      summary: 'List integrations',
      tags: ['integrations'],
      scope: 'read',
      query: listQuery,
      responses: listResponse,
      handle: listIntegrations,
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/integrations',
      operationId: 'createIntegration',
      summary: 'Create (and by default connect) an integration',
      tags: ['integrations'],
      scope: 'admin',
      body: createBody,
      responses: { 201: { description: 'Created; status says whether the connection test passed', schema: integrationSchema } },
      handle: async ({ body }, context) => create(body, context),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/integrations/:id',
      operationId: 'getIntegration',
      summary: 'Get an integration',
      tags: ['integrations'],
      scope: 'read',
      params: idParams,
      responses: integrationResponse,
      handle: async ({ params }, { integrations }) => integrations.getIntegrationById(params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/integrations/:id',
      operationId: 'updateIntegration',
      summary: 'Rename an integration or replace its settings',
      tags: ['integrations'],
      scope: 'admin',
      params: idParams,
      body: updateBody,
      responses: integrationResponse,
      async handle({ params, body }, context) {
        const updated = await context.integrations.updateIntegration(params.id, {
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(body.settings === undefined ? {} : { settings: body.settings }),
        });
        await events.audit(context, 'integration.updated', params.id);
        return updated;
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/integrations/:id',
      operationId: 'deleteIntegration',
      summary: 'Delete an integration with its credentials and synced records',
      tags: ['integrations'],
      scope: 'admin',
      params: idParams,
      responses: { 204: { description: 'Deleted' } },
      async handle({ params }, context) {
        await context.integrations.deleteIntegration(params.id);
        await events.audit(context, 'integration.deleted', params.id);
        return respond(204);
      },
    }),
    ...(['connect', 'disconnect'] as const).map((action) =>
      defineRoute({
        method: 'POST',
        url: `/api/v1/integrations/:id/${action}`,
        operationId: `${action}Integration`,
        summary: action === 'connect' ? 'Test the connection and activate the integration' : 'Disable the integration',
        tags: ['integrations'],
        scope: 'admin',
        params: idParams,
        responses: integrationResponse,
        async handle({ params }, context) {
          const { integrations } = context;
          const record = action === 'connect' ? await integrations.connect(params.id) : await integrations.disconnect(params.id);
          await events.audit(context, `integration.${action}ed`, params.id);
          return record;
        },
      }),
    ),
    defineRoute({
      method: 'POST',
      url: '/api/v1/integrations/:id/test',
      operationId: 'testIntegration',
      summary: "Run the provider's health check for the integration",
      tags: ['integrations'],
      scope: 'execute',
      params: idParams,
      responses: { 200: { description: 'The outcome, also recorded as an event', schema: anyObject } },
      handle: async ({ params }, { integrations }) => integrations.testConnection(params.id),
    }),
    ...(
      [
        [
          'status',
          'getIntegrationStatus',
          'Status, breaker state and last connection test',
          (integrations: IntegrationsService, id: string) => integrations.getStatus(id),
        ],
        [
          'health',
          'getIntegrationHealth',
          'A 0..100 health score with its terms',
          (integrations: IntegrationsService, id: string) => integrations.checkHealth(id),
        ],
      ] as const
    ).map(([path, operationId, summary, read]) =>
      defineRoute({
        method: 'GET',
        url: `/api/v1/integrations/:id/${path}`,
        operationId,
        summary,
        tags: ['integrations'],
        scope: 'read',
        params: idParams,
        responses: { 200: { description: summary, schema: anyObject } },
        handle: async ({ params }, { integrations }) => read(integrations, params.id),
      }),
    ),
    defineRoute({
      method: 'GET',
      url: '/api/v1/integrations/:id/metrics',
      operationId: 'getIntegrationMetrics',
      summary: "The provider's hub metrics and the integration's events in a timeframe",
      tags: ['integrations'],
      scope: 'read',
      params: idParams,
      query: z.object({ timeframe: z.enum(Object.keys(METRICS_TIMEFRAMES_MS) as ['1h', '24h', '7d', '30d']).default('24h') }),
      responses: { 200: { description: 'Metrics', schema: anyObject } },
      handle: async ({ params, query }, { integrations }) => integrations.getMetrics(params.id, query.timeframe),
    }),
    // The seeds' forms of the same operations.
    defineRoute({
      method: 'POST',
      url: '/api/integrations/register',
      operationId: 'registerIntegration',
      summary: 'Seed form of POST /api/v1/integrations',
      tags: ['integrations (seed forms)'],
      scope: 'admin',
      body: createBody,
      responses: { 201: { description: 'Created', schema: integrationSchema } },
      handle: async ({ body }, context) => create(body, context),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/integrations/list',
      operationId: 'listIntegrationsSeed',
      summary: 'Seed form of GET /api/v1/integrations',
      tags: ['integrations (seed forms)'],
      scope: 'read',
      query: listQuery,
      responses: listResponse,
      handle: listIntegrations,
    }),
    defineRoute({
      method: 'GET',
      url: '/api/integrations/health',
      operationId: 'integrationsHealth',
      summary: 'Health scores of every integration',
      tags: ['integrations (seed forms)'],
      scope: 'read',
      responses: { 200: { description: 'One report per integration', schema: z.object({ integrations: z.array(anyObject) }) } },
      async handle(_input, { integrations }) {
        const all = await integrations.getIntegrations();
        return { integrations: await Promise.all(all.map((integration) => integrations.checkHealth(integration.id))) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/integrations/:id/test',
      operationId: 'testIntegrationSeed',
      summary: 'Seed form of POST /api/v1/integrations/{id}/test',
      tags: ['integrations (seed forms)'],
      scope: 'execute',
      params: idParams,
      responses: { 200: { description: 'The outcome', schema: anyObject } },
      handle: async ({ params }, { integrations }) => integrations.testConnection(params.id),
    }),
  ];
}
