import { z } from 'zod';
import { defineRoute, queryNumber, type AnyRouteSpec } from '../http/route';

const eventSchema = z
  .object({
    id: z.int(),
    type: z.string(),
    workspaceId: z.string(),
    integrationId: z.string().nullable().describe('The integration the event is about; null for none'),
    payload: z.record(z.string(), z.unknown()),
    occurredAt: z.string(),
  })
  .meta({ description: 'One entry of the event log' });

const eventsQuery = z.object({
  limit: queryNumber({ min: 1, max: 1000, default: 50 }).describe('How many events, newest first (1..1000, default 50)'),
  type: z.string().min(1).max(255).optional().describe('Only events of this type, e.g. integration.disconnected'),
  integrationId: z.string().min(1).max(255).optional().describe('Only events of this integration'),
});

/** The event log: recent integration events and audit entries, newest first. */
export function eventRoutes(): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/events',
      operationId: 'listEvents',
      summary: 'Recent events, newest first',
      description: 'Integration events (connection tests, connects, disconnects, syncs) and audit entries of admin actions.',
      tags: ['events'],
      scope: 'read',
      query: eventsQuery,
      responses: { 200: { description: 'The events, newest first', schema: z.object({ events: z.array(eventSchema) }) } },
      async handle({ query }, { store }) {
        const events = await store.events.listRecent({
          limit: query.limit,
          ...(query.type === undefined ? {} : { type: query.type }),
          ...(query.integrationId === undefined ? {} : { integrationId: query.integrationId }),
        });
        return { events: events.map((event) => ({ ...event, integrationId: event.integrationId ?? null })) };
      },
    }),
  ];
}
