/** A listener for events of one type. */
export type EventListener<Payload> = (payload: Payload) => void;

/**
 * One event of any type, as {@link EventBus.onAny} listeners get it: a
 * union discriminated by `type`, so checking `type` narrows `payload`, and
 * a plain object an audit log can store as it is.
 */
export type AnyEvent<Events extends object> = {
  [Type in keyof Events]: { readonly type: Type; readonly payload: Events[Type] };
}[keyof Events];

/**
 * A listener for events of every type.
 *
 * @example
 * ```ts
 * hub.events.onAny((event) => {
 *   if (event.type === 'failover') console.warn(`left ${event.payload.from}: ${event.payload.error.kind}`);
 * });
 * ```
 */
export type AnyEventListener<Events extends object> = (event: AnyEvent<Events>) => void;

const NO_ANY_LISTENERS: readonly never[] = Object.freeze([]);

/**
 * A small typed event bus. Emitting to a type nobody listens to costs one
 * lookup, so callers check {@link EventBus.hasListeners} before building a
 * payload on hot paths. A listener that throws is reported to `onListenerError`
 * and never breaks the emitter or the other listeners.
 *
 * Listeners of one type ({@link EventBus.on}) and of every type
 * ({@link EventBus.onAny}, for an audit log or a metrics bridge) get the same
 * prepared payload: the listeners of its type first, then the any-type ones,
 * each in subscription order, as mitt's `'*'` handlers and emittery's
 * `onAny` listeners run after the type's own. An any-type listener gets one
 * `{ type, payload }` object (as in emittery 2) rather than two arguments
 * (mitt, emittery 1), so TypeScript narrows the payload by its type. A
 * listener added or removed while an event is delivered takes effect from
 * the next event.
 */
export class EventBus<Events extends object> {
  private readonly listeners = new Map<keyof Events, EventListener<never>[]>();
  private anyListeners: readonly AnyEventListener<Events>[] = NO_ANY_LISTENERS;
  private readonly onListenerError: (error: unknown, type: keyof Events) => void;
  private readonly prepare: (<Type extends keyof Events>(type: Type, payload: Events[Type]) => Events[Type]) | undefined;

  /**
   * @param onListenerError - told about every listener that throws.
   * @param prepare - turns a payload into what listeners get (the hub
   *   redacts its secrets here); runs only when someone listens, once per
   *   event for every listener.
   */
  constructor(
    onListenerError: (error: unknown, type: keyof Events) => void = () => {},
    prepare?: <Type extends keyof Events>(type: Type, payload: Events[Type]) => Events[Type],
  ) {
    this.onListenerError = onListenerError;
    this.prepare = prepare;
  }

  /** Subscribes to one event type; returns the function that unsubscribes. */
  on<Type extends keyof Events>(type: Type, listener: EventListener<Events[Type]>): () => void {
    const list = this.listeners.get(type) ?? [];
    this.listeners.set(type, [...list, listener]);
    return () => this.off(type, listener);
  }

  /** Unsubscribes a listener added with {@link EventBus.on}. */
  off<Type extends keyof Events>(type: Type, listener: EventListener<Events[Type]>): void {
    const list = this.listeners.get(type);
    if (list === undefined) return;
    const remaining = list.filter((candidate) => candidate !== (listener as EventListener<never>));
    if (remaining.length === 0) this.listeners.delete(type);
    else this.listeners.set(type, remaining);
  }

  /**
   * Subscribes to every event type, present and future: `listener({ type,
   * payload })`. Returns the function that unsubscribes.
   */
  onAny(listener: AnyEventListener<Events>): () => void {
    this.anyListeners = [...this.anyListeners, listener];
    return () => this.offAny(listener);
  }

  /** Unsubscribes a listener added with {@link EventBus.onAny}. */
  offAny(listener: AnyEventListener<Events>): void {
    const remaining = this.anyListeners.filter((candidate) => candidate !== listener);
    this.anyListeners = remaining.length === 0 ? NO_ANY_LISTENERS : remaining;
  }

  /** Whether anything listens to `type`, through {@link EventBus.on} or {@link EventBus.onAny}. */
  hasListeners(type: keyof Events): boolean {
    return this.listeners.has(type) || this.anyListeners.length > 0;
  }

  /** Delivers `payload` to every listener of `type`, then to every any-type listener, synchronously, in subscription order. */
  emit<Type extends keyof Events>(type: Type, payload: Events[Type]): void {
    const list = this.listeners.get(type);
    const anyListeners = this.anyListeners;
    if (list === undefined && anyListeners.length === 0) return;
    const delivered = this.prepare === undefined ? payload : this.prepare(type, payload);
    if (list !== undefined) {
      for (const listener of list) {
        try {
          (listener as EventListener<Events[Type]>)(delivered);
        } catch (error) {
          this.onListenerError(error, type);
        }
      }
    }
    if (anyListeners.length === 0) return;
    const event = { type, payload: delivered } as AnyEvent<Events>;
    for (const listener of anyListeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error, type);
      }
    }
  }
}
