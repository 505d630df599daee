import type { EventBus } from '../events/event-bus';
import type { HubEvents } from '../events/hub-events';

/**
 * What sibling packages (`@switchyard/platform`'s webhook receiver) reach
 * inside a hub that hosts must not: the event bus they emit on. Exported
 * from `@switchyard/core/internal` only.
 */
const eventBuses = new WeakMap<object, EventBus<HubEvents>>();

export function attachHubEventBus(hub: object, events: EventBus<HubEvents>): void {
  eventBuses.set(hub, events);
}

/** The event bus of a hub `createHub` made; throws `TypeError` for anything else. */
export function hubEventBus(hub: object): EventBus<HubEvents> {
  const events = eventBuses.get(hub);
  if (events === undefined) throw new TypeError('Not a hub made by createHub() of this @switchyard/core');
  return events;
}
