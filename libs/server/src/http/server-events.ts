import type { JsonObject, WebhookDispatcher } from '@switchyard/platform';
import type { RouteContext } from './route';

/**
 * What the server tells others: admin actions go to the audit log (store
 * events `audit.<action>`), and every action and accepted inbound webhook is
 * published to the workspace's outbound webhook subscribers.
 */
export interface ServerEvents {
  /** Records an admin action (`integration.created`, ...) in the audit log and publishes it. Never holds settings or keys. */
  audit(context: RouteContext, action: string, integrationId?: string): Promise<void>;
  /** Publishes an event to the workspace's subscribers of `type`. */
  publish(workspaceId: string, type: string, payload: JsonObject, id?: string): Promise<void>;
}

export function createServerEvents(dispatcher: WebhookDispatcher | undefined): ServerEvents {
  const publish: ServerEvents['publish'] = async (workspaceId, type, payload, id) => {
    await dispatcher?.publish({ workspaceId, type, payload, ...(id === undefined ? {} : { id }) });
  };
  return {
    publish,
    async audit(context, action, integrationId) {
      const payload = {
        keyId: context.key?.id ?? null,
        keyName: context.key?.name ?? null,
        workspaceId: context.workspaceId,
        route: context.request.routeOptions.url ?? '',
      };
      // The workspace's view: the entry belongs to the caller's workspace.
      const event = await context.store.events.append({
        type: `audit.${action}`,
        ...(integrationId === undefined ? {} : { integrationId }),
        payload,
      });
      await publish(context.workspaceId, action, { ...payload, integrationId: integrationId ?? null }, `event-${event.id}`);
    },
  };
}
