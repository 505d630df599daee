import { checkSubscriptionUrl, createWebhookSecret, type WebhookSubscriptionRecord } from '@switchyard/platform';
import { z } from 'zod';
import { defineRoute, respond, type AnyRouteSpec, type RouteContext } from '../http/route';
import type { ServerEvents } from '../http/server-events';

const eventTypes = z
  .array(z.string().min(1).max(255))
  .min(1)
  .max(64)
  .describe('Event types to receive (webhook.received, integration.created, ...), or ["*"] for all');

const subscriptionSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const createdSchema = subscriptionSchema.extend({
  secret: z.string().describe('The Standard Webhooks signing secret (whsec_...): shown this once'),
});

const deliverySchema = z.object({
  id: z.string().describe('The webhook-id header of every attempt'),
  subscriptionId: z.string(),
  eventType: z.string(),
  status: z.string(),
  attempts: z.int(),
  nextAttemptAt: z.string(),
  lastAttemptAt: z.string().optional(),
  lastStatus: z.int().optional(),
  lastError: z.string().optional(),
  createdAt: z.string(),
});

const idParams = z.object({ id: z.string().min(1).max(255).describe('The subscription id') });

/** A subscription as the API shows it: never its secret. */
function visible(record: WebhookSubscriptionRecord): z.output<typeof subscriptionSchema> {
  return {
    id: record.id,
    workspaceId: record.workspaceId,
    url: record.url,
    eventTypes: [...record.eventTypes],
    description: record.description,
    enabled: record.enabled,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/**
 * Outbound webhook subscriptions (the seeds' get/add/update/delete webhooks):
 * a subscriber's URL and event types, in the caller's workspace. Deliveries
 * are signed the Standard Webhooks way with the secret returned once at
 * creation; `deliveries` is the delivery log.
 */
export function subscriptionRoutes(dependencies: { readonly events: ServerEvents; readonly allowPrivateNetwork: boolean }): AnyRouteSpec[] {
  const { events, allowPrivateNetwork } = dependencies;

  /** The subscription in the caller's workspace (the workspace's view answers not_found for another's). */
  const owned = (id: string, context: RouteContext): Promise<WebhookSubscriptionRecord> => context.store.webhookSubscriptions.get(id);

  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/webhooks',
      operationId: 'listWebhookSubscriptions',
      summary: "The workspace's outbound webhook subscriptions",
      tags: ['outbound webhooks'],
      scope: 'admin',
      responses: { 200: { description: 'Oldest first, without secrets', schema: z.object({ webhooks: z.array(subscriptionSchema) }) } },
      handle: async (_input, context) => ({
        webhooks: (await context.store.webhookSubscriptions.list()).map(visible),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/webhooks',
      operationId: 'createWebhookSubscription',
      summary: 'Subscribe a URL to event types',
      description: 'The URL must be https and public unless the server allows private networks. The signing secret is in this answer only.',
      tags: ['outbound webhooks'],
      scope: 'admin',
      body: z.object({ url: z.string().min(1).max(2048), eventTypes, description: z.string().max(1024).optional() }),
      responses: { 201: { description: 'Subscribed', schema: createdSchema } },
      async handle({ body }, context) {
        await checkSubscriptionUrl(body.url, { allowPrivateNetwork });
        const record = await context.store.webhookSubscriptions.create({
          workspaceId: context.workspaceId,
          url: body.url,
          eventTypes: body.eventTypes,
          description: body.description,
          secret: createWebhookSecret(),
        });
        await events.audit(context, 'webhook_subscription.created');
        return respond(
          201,
          { ...visible(record), secret: record.secret },
          { location: `/api/v1/webhooks/${encodeURIComponent(record.id)}` },
        );
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/webhooks/:id',
      operationId: 'getWebhookSubscription',
      summary: 'One subscription, without its secret',
      tags: ['outbound webhooks'],
      scope: 'admin',
      params: idParams,
      responses: { 200: { description: 'The subscription', schema: subscriptionSchema } },
      handle: async ({ params }, context) => visible(await owned(params.id, context)),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/webhooks/:id',
      operationId: 'updateWebhookSubscription',
      summary: 'Change the URL, event types, description, or enable or disable it',
      tags: ['outbound webhooks'],
      scope: 'admin',
      params: idParams,
      body: z.object({
        url: z.string().min(1).max(2048).optional(),
        eventTypes: eventTypes.optional(),
        description: z.string().max(1024).optional(),
        enabled: z.boolean().optional(),
      }),
      responses: { 200: { description: 'The subscription', schema: subscriptionSchema } },
      async handle({ params, body }, context) {
        await owned(params.id, context);
        if (body.url !== undefined) await checkSubscriptionUrl(body.url, { allowPrivateNetwork });
        const record = await context.store.webhookSubscriptions.update(params.id, body);
        await events.audit(context, 'webhook_subscription.updated');
        return visible(record);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/webhooks/:id',
      operationId: 'deleteWebhookSubscription',
      summary: 'Unsubscribe; queued deliveries are dropped',
      tags: ['outbound webhooks'],
      scope: 'admin',
      params: idParams,
      responses: { 204: { description: 'Deleted' } },
      async handle({ params }, context) {
        await owned(params.id, context);
        await context.store.webhookSubscriptions.delete(params.id);
        await events.audit(context, 'webhook_subscription.deleted');
        return respond(204);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/webhooks/:id/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: 'The delivery log: every queued delivery with its status, attempts and last answer',
      tags: ['outbound webhooks'],
      scope: 'admin',
      params: idParams,
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50) }),
      responses: { 200: { description: 'Newest first', schema: z.object({ deliveries: z.array(deliverySchema) }) } },
      async handle({ params, query }, context) {
        await owned(params.id, context);
        const deliveries = await context.store.webhookOutbox.list({ subscriptionId: params.id, limit: query.limit });
        return {
          deliveries: deliveries.map((entry) => ({
            id: entry.id,
            subscriptionId: entry.subscriptionId,
            eventType: entry.eventType,
            status: entry.status,
            attempts: entry.attempts,
            nextAttemptAt: entry.nextAttemptAt,
            lastAttemptAt: entry.lastAttemptAt,
            lastStatus: entry.lastStatus,
            lastError: entry.lastError,
            createdAt: entry.createdAt,
          })),
        };
      },
    }),
  ];
}
