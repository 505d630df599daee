import { IntegrationError, type Hub } from '@switchyard/core';
import { createWebhookReceiver, type JsonObject, type Store, type WebhookSecretLookup } from '@switchyard/platform';
import { z } from 'zod';
import { problem, problemFromError, ProblemError } from '../http/problem';
import { defineRoute, respond, type AnyRouteSpec } from '../http/route';
import type { ServerEvents } from '../http/server-events';

const nameParams = z.object({
  name: z
    .string()
    .min(1)
    .max(255)
    .describe('An integration id (its provider verifies the delivery), or a provider id such as github or slack'),
});

const receiptSchema = z.object({
  status: z.enum(['accepted', 'duplicate']),
  deliveryId: z.string(),
  type: z.string().optional().describe('The normalized event type (push, pull_request, issue, issue_comment, other)'),
});

const WEBHOOK_EVENT_TYPES = ['webhook.received', 'webhook.rejected', 'webhook.duplicate', 'webhook.test'];

/**
 * Webhook ingress: `POST /api/integrations/webhook/{name}` takes the body as
 * raw bytes and has the provider verify its signature (the shared receiver of
 * `@switchyard/platform`: GitHub's `X-Hub-Signature-256`, Slack's `v0=`
 * signature with its timestamp window, ...), dedupes by delivery id in the
 * store and logs every delivery as a store event. `logs` and `test` need keys.
 */
export function webhookRoutes(dependencies: {
  readonly hub: Hub;
  readonly store: Store;
  readonly secret: WebhookSecretLookup | undefined;
  readonly events: ServerEvents;
  readonly defaultWorkspaceId: string;
}): AnyRouteSpec[] {
  const { hub, store, secret, events, defaultWorkspaceId } = dependencies;
  const receiver = secret === undefined ? undefined : createWebhookReceiver({ hub, store, secret });

  /**
   * Whose delivery this is, looked up in `scope` (the whole store for ingress,
   * the caller's workspace for logs and tests): an integration (and its
   * provider and workspace), or a provider by id (the default workspace).
   */
  async function resolve(
    scope: Store,
    name: string,
  ): Promise<{ provider: string; integrationId: string | undefined; workspaceId: string }> {
    const integration = await scope.integrations.get(name).catch((error: unknown) => {
      if (IntegrationError.isInstance(error) && error.kind === 'not_found') return undefined;
      throw error;
    });
    if (integration !== undefined)
      return { provider: integration.providerId, integrationId: integration.id, workspaceId: integration.workspaceId };
    if (hub.registry.get(name) === undefined) {
      throw new ProblemError(problem(404, 'not_found', `No integration or provider named "${name}"`, { isRetryable: false }));
    }
    return { provider: name, integrationId: undefined, workspaceId: defaultWorkspaceId };
  }

  return [
    defineRoute({
      method: 'POST',
      url: '/api/integrations/webhook/:name',
      operationId: 'receiveWebhook',
      summary: "Receive a provider's webhook delivery (signature checked over the raw body)",
      description:
        'No API key: the provider signs the delivery. A forged or unsigned delivery gets 401, a replayed one 200 with status duplicate. Slack URL verification is answered with its challenge.',
      tags: ['webhooks'],
      scope: 'public',
      params: nameParams,
      rawBody: true,
      responses: {
        200: {
          description:
            "Accepted, or a duplicate the sender can stop retrying; a provider's challenge (Slack url_verification) is answered as the provider asks",
          schema: receiptSchema,
          alternatives: [{ contentType: 'text/plain', schema: z.string() }],
        },
        401: { description: 'The signature did not verify' },
        404: { description: 'Unknown integration or provider, or webhooks not configured' },
      },
      async handle({ params, body }, context) {
        if (receiver === undefined) {
          throw new ProblemError(problem(404, 'not_found', 'Webhook ingress is not configured on this server.', { isRetryable: false }));
        }
        const { provider, integrationId, workspaceId } = await resolve(store, params.name);
        // Everything this delivery leaves behind belongs to its integration's workspace.
        const owner = store.forWorkspace(workspaceId);
        const rawBody = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
        const { request } = context;
        try {
          const receipt = await receiver.receive({
            provider,
            integrationId,
            headers: request.headers,
            rawBody,
            url: `${request.protocol}://${request.host}${request.url}`,
          });
          if (receipt.outcome === 'duplicate') {
            await owner.events.append({ type: 'webhook.duplicate', integrationId, payload: { provider, deliveryId: receipt.deliveryId } });
            return { status: 'duplicate' as const, deliveryId: receipt.deliveryId };
          }
          const logged = await owner.events.append({
            type: 'webhook.received',
            integrationId,
            payload: receipt.event as unknown as JsonObject,
          });
          await events.publish(
            workspaceId,
            'webhook.received',
            { integrationId: integrationId ?? null, event: logged.payload },
            `event-${logged.id}`,
          );
          if (receipt.reply !== undefined) return respond(receipt.reply.status, receipt.reply.body, receipt.reply.headers ?? {});
          return { status: 'accepted' as const, deliveryId: receipt.event.deliveryId, type: receipt.event.type };
        } catch (error) {
          const refusal = problemFromError(error, 'body');
          await owner.events.append({
            type: 'webhook.rejected',
            integrationId,
            payload: { provider, kind: refusal.kind, message: refusal.detail },
          });
          // A bad signature is the sender's credential failing: 401, not the 502 a provider's auth error maps to.
          throw new ProblemError(refusal.kind === 'auth' ? { ...refusal, status: 401, title: 'Unauthorized' } : refusal);
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/integrations/webhook/:name/logs',
      operationId: 'webhookLogs',
      summary: 'Recent deliveries to this integration or provider: received, duplicates, rejections and tests',
      tags: ['webhooks'],
      scope: 'read',
      params: nameParams,
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50) }),
      responses: { 200: { description: 'Newest first', schema: z.object({ deliveries: z.array(z.record(z.string(), z.unknown())) }) } },
      async handle({ params, query }, context) {
        const { provider, integrationId } = await resolve(context.store, params.name);
        const recent = await context.store.events.listRecent({ limit: 1000, ...(integrationId === undefined ? {} : { integrationId }) });
        const deliveries = recent.filter(
          (event) =>
            WEBHOOK_EVENT_TYPES.includes(event.type) &&
            (integrationId !== undefined || (event.payload as { provider?: unknown }).provider === provider),
        );
        return { deliveries: deliveries.slice(0, query.limit) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/integrations/webhook/:name/test',
      operationId: 'testWebhook',
      summary: 'Record a test delivery, as subscribers and the logs see one',
      tags: ['webhooks'],
      scope: 'admin',
      params: nameParams,
      responses: { 201: { description: 'The test event', schema: z.record(z.string(), z.unknown()) } },
      async handle({ params }, context) {
        const { provider, integrationId } = await resolve(context.store, params.name);
        const event = await context.store.events.append({
          type: 'webhook.test',
          integrationId,
          payload: {
            provider,
            deliveryId: `test-${Date.now()}`,
            type: 'other',
            providerEvent: 'test',
            receivedAt: new Date().toISOString(),
          },
        });
        await events.audit(context, 'webhook.tested', integrationId);
        return respond(201, event);
      },
    }),
  ];
}
