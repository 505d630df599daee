import type { WebhookOutboxRepository, WebhookSubscriptionRepository } from './store-webhooks';
import { parseStoreInput, storeConflict, storeNotFound, storeSchemas as schemas, storeTimestamp } from './store-input';
import type { WebhookOutboxRecord, WebhookSubscriptionRecord } from './store-records';
import { byText, copy, run } from './memory-kit';

/** The memory store's `webhookSubscriptions` and `webhookOutbox`: maps by id, sharing the cascade on delete. */
export function createMemoryWebhooks(): {
  readonly webhookSubscriptions: WebhookSubscriptionRepository;
  readonly webhookOutbox: WebhookOutboxRepository;
} {
  const subscriptions = new Map<string, WebhookSubscriptionRecord>();
  /** Deliveries in enqueue order, which breaks `createdAt` ties in `list`. */
  const deliveries = new Map<string, WebhookOutboxRecord>();
  const findSubscription = (id: string, operation: string): WebhookSubscriptionRecord => {
    const found = subscriptions.get(parseStoreInput(schemas.key, id, operation));
    if (found === undefined) throw storeNotFound(operation, `webhook subscription "${id}"`);
    return found;
  };
  const findDelivery = (id: string, operation: string): WebhookOutboxRecord => {
    const found = deliveries.get(parseStoreInput(schemas.key, id, operation));
    if (found === undefined) throw storeNotFound(operation, `webhook delivery "${id}"`);
    return found;
  };

  const webhookSubscriptions: WebhookSubscriptionRepository = {
    create: (subscription) =>
      run(() => {
        const operation = 'store.webhookSubscriptions.create';
        const input = parseStoreInput(schemas.newWebhookSubscription, subscription, operation);
        if (subscriptions.has(input.id)) throw storeConflict(operation, `webhook subscription "${input.id}" already exists`);
        const now = storeTimestamp();
        const record: WebhookSubscriptionRecord = { ...input, createdAt: now, updatedAt: now };
        subscriptions.set(record.id, copy(record));
        return copy(record);
      }),
    get: (id) => run(() => copy(findSubscription(id, 'store.webhookSubscriptions.get'))),
    list: (filter) =>
      run(() => {
        const input = parseStoreInput(schemas.webhookSubscriptionFilter, filter, 'store.webhookSubscriptions.list');
        const matching = [...subscriptions.values()].filter(
          (record) => input.workspaceId === undefined || record.workspaceId === input.workspaceId,
        );
        return copy(matching.sort((left, right) => byText(left.createdAt, right.createdAt) || byText(left.id, right.id)));
      }),
    update: (id, changes) =>
      run(() => {
        const input = parseStoreInput(schemas.webhookSubscriptionChanges, changes, 'store.webhookSubscriptions.update');
        const existing = findSubscription(id, 'store.webhookSubscriptions.update');
        const record: WebhookSubscriptionRecord = {
          ...existing,
          url: input.url ?? existing.url,
          eventTypes: input.eventTypes ?? existing.eventTypes,
          description: input.description ?? existing.description,
          enabled: input.enabled ?? existing.enabled,
          secret: input.secret ?? existing.secret,
          updatedAt: storeTimestamp(),
        };
        subscriptions.set(existing.id, copy(record));
        return copy(record);
      }),
    delete: (id) =>
      run(() => {
        const existing = findSubscription(id, 'store.webhookSubscriptions.delete');
        subscriptions.delete(existing.id);
        for (const [deliveryId, delivery] of deliveries) if (delivery.subscriptionId === existing.id) deliveries.delete(deliveryId);
      }),
  };

  const webhookOutbox: WebhookOutboxRepository = {
    enqueue: (entry) =>
      run(() => {
        const operation = 'store.webhookOutbox.enqueue';
        const input = parseStoreInput(schemas.newWebhookOutboxEntry, entry, operation);
        const subscription = subscriptions.get(input.subscriptionId);
        if (subscription === undefined || subscription.workspaceId !== input.workspaceId)
          throw storeNotFound(operation, `webhook subscription "${input.subscriptionId}" of workspace "${input.workspaceId}"`);
        if (deliveries.has(input.id)) throw storeConflict(operation, `webhook delivery "${input.id}" already exists`);
        const now = storeTimestamp();
        const record: WebhookOutboxRecord = {
          ...input,
          status: 'pending',
          attempts: 0,
          leaseExpiresAt: undefined,
          lastAttemptAt: undefined,
          lastStatus: undefined,
          lastError: undefined,
          createdAt: now,
          updatedAt: now,
        };
        deliveries.set(record.id, copy(record));
        return copy(record);
      }),
    claimDue: (claim) =>
      run(() => {
        const input = parseStoreInput(schemas.webhookOutboxClaim, claim, 'store.webhookOutbox.claimDue');
        const leaseExpiresAt = new Date(Date.parse(input.now) + input.leaseMs).toISOString();
        const due = [...deliveries.values()]
          .filter(
            (delivery) =>
              (input.ids === undefined || input.ids.includes(delivery.id)) &&
              ((delivery.status === 'pending' && delivery.nextAttemptAt <= input.now) ||
                (delivery.status === 'delivering' && (delivery.leaseExpiresAt ?? '') <= input.now)),
          )
          .sort((left, right) => byText(left.nextAttemptAt, right.nextAttemptAt) || byText(left.id, right.id))
          .slice(0, input.limit);
        const updatedAt = storeTimestamp();
        return due.map((delivery) => {
          const record: WebhookOutboxRecord = { ...delivery, status: 'delivering', leaseExpiresAt, updatedAt };
          deliveries.set(record.id, copy(record));
          return copy(record);
        });
      }),
    recordAttempt: (id, attempt) =>
      run(() => {
        const operation = 'store.webhookOutbox.recordAttempt';
        const input = parseStoreInput(schemas.webhookAttempt, attempt, operation);
        const existing = findDelivery(id, operation);
        if (existing.status !== 'delivering')
          throw storeConflict(operation, `webhook delivery "${existing.id}" is ${existing.status}, not delivering`);
        const record: WebhookOutboxRecord = {
          ...existing,
          status: input.outcome === 'retry' ? 'pending' : input.outcome,
          attempts: existing.attempts + 1,
          nextAttemptAt: input.outcome === 'retry' ? (input.nextAttemptAt ?? existing.nextAttemptAt) : existing.nextAttemptAt,
          leaseExpiresAt: undefined,
          lastAttemptAt: input.attemptedAt,
          lastStatus: input.responseStatus,
          lastError: input.error,
          updatedAt: storeTimestamp(),
        };
        deliveries.set(record.id, copy(record));
        return copy(record);
      }),
    get: (id) => run(() => copy(findDelivery(id, 'store.webhookOutbox.get'))),
    list: (query) =>
      run(() => {
        const input = parseStoreInput(schemas.webhookOutboxQuery, query, 'store.webhookOutbox.list');
        const position = new Map([...deliveries.keys()].map((deliveryId, index) => [deliveryId, index]));
        const matching = [...deliveries.values()].filter(
          (delivery) =>
            (input.subscriptionId === undefined || delivery.subscriptionId === input.subscriptionId) &&
            (input.workspaceId === undefined || delivery.workspaceId === input.workspaceId) &&
            (input.status === undefined || delivery.status === input.status),
        );
        const newestFirst = matching.sort(
          (left, right) => byText(right.createdAt, left.createdAt) || (position.get(right.id) ?? 0) - (position.get(left.id) ?? 0),
        );
        return copy(newestFirst.slice(0, input.limit));
      }),
  };

  return { webhookSubscriptions, webhookOutbox };
}
