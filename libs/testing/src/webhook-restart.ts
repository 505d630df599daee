import { createWebhookDispatcher, type Store, type WebhookDispatcher } from '@switchyard/platform';
import { expect } from 'vitest';
import { pollUntil } from './suite-helpers';
import { startWebhookSubscriber } from './webhook-subscriber';

/** Options of {@link expectWebhooksSurviveRestart}. */
export interface WebhookRestartOptions {
  /**
   * Opens the store under test. Called twice, before and after the restart;
   * both stores must reach the same data (the same file, the same schema).
   */
  readonly open: () => Promise<Store>;
  /** Deliveries queued before the restart. Default: 20. */
  readonly count?: number;
  /** The bound of each wait, in milliseconds. Default: 30 000. */
  readonly timeoutMs?: number;
}

const fastRetry = { maxAttempts: 1000, minDelayMs: 10, maxDelayMs: 20 };

/**
 * The restart scenario of outbound webhooks: `count` deliveries are queued
 * for a subscriber that is down, a dispatcher tries them and is stopped, the
 * store is closed; then a new store object and a new dispatcher take over,
 * the subscriber comes up, and every delivery must be accepted exactly once
 * (counted by `webhook-id`).
 */
export async function expectWebhooksSurviveRestart(options: WebhookRestartOptions): Promise<void> {
  const count = options.count ?? 20;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const subscriber = await startWebhookSubscriber({ answer: () => 'down' });
  const stores: Store[] = [];
  const dispatchers: WebhookDispatcher[] = [];
  const dispatcherFor = (store: Store) => {
    const dispatcher = createWebhookDispatcher({
      store,
      allowPrivateNetwork: true,
      retry: fastRetry,
      pollIntervalMs: 10,
      leaseMs: 2000,
      timeoutMs: 5000,
    });
    dispatchers.push(dispatcher);
    return dispatcher;
  };
  try {
    const before = await options.open();
    stores.push(before);
    const subscription = await before.webhookSubscriptions.create({ workspaceId: 'restart', url: subscriber.url, eventTypes: ['*'] });
    const first = dispatcherFor(before);
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      ids.push(...(await first.publish({ workspaceId: 'restart', type: 'restart.test', payload: { index } })));
    }
    expect(ids, 'one delivery per publish').toHaveLength(count);
    first.start();
    await pollUntil({
      label: 'the first dispatcher trying the subscriber while it is down',
      timeoutMs,
      intervalMs: 10,
      read: () => Promise.resolve(subscriber.received.length),
      done: (received) => received >= count,
    });
    await first.stop();
    await before.close();
    expect(subscriber.acceptedById().size, 'nothing accepted while down').toBe(0);

    const after = await options.open();
    stores.push(after);
    const queued = await after.webhookOutbox.list({ subscriptionId: subscription.id, limit: 1000 });
    expect(queued.map((delivery) => delivery.id).sort(), 'the queue survived the restart').toEqual([...ids].sort());
    expect(queued.filter((delivery) => delivery.status === 'delivered' || delivery.status === 'failed')).toEqual([]);
    subscriber.answerWith(() => 200);
    const second = dispatcherFor(after);
    second.start();
    await pollUntil({
      label: `all ${count} deliveries delivered after the restart`,
      timeoutMs,
      intervalMs: 20,
      read: () => after.webhookOutbox.list({ subscriptionId: subscription.id, status: 'delivered', limit: 1000 }),
      done: (delivered) => delivered.length === count,
    });
    await second.stop();
    const accepted = subscriber.acceptedById();
    expect([...accepted.keys()].sort(), 'every delivery arrived').toEqual([...ids].sort());
    expect(
      [...accepted.entries()].filter(([, times]) => times !== 1),
      'each accepted exactly once',
    ).toEqual([]);
  } finally {
    for (const dispatcher of dispatchers) await dispatcher.stop();
    for (const store of stores) await store.close();
    await subscriber.close();
  }
}
