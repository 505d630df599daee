/** A listener for events of one type. */
export type EventListener<Payload> = (payload: Payload) => void;

/**
 * A small typed event bus. Emitting to a type nobody listens to costs one
 * lookup, so callers check {@link EventBus.hasListeners} before building a
 * payload on hot paths. A listener that throws is reported to `onListenerError`
 * and never breaks the emitter or the other listeners.
 */
export class EventBus<Events extends object> {
  private readonly listeners = new Map<keyof Events, EventListener<never>[]>();
  private readonly onListenerError: (error: unknown, type: keyof Events) => void;
  private readonly prepare: (<Type extends keyof Events>(type: Type, payload: Events[Type]) => Events[Type]) | undefined;

  /**
   * @param onListenerError - told about every listener that throws.
   * @param prepare - turns a payload into what listeners get (the hub
   *   redacts its secrets here); runs only when someone listens.
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

  /** Whether anything listens to `type`. */
  hasListeners(type: keyof Events): boolean {
    return this.listeners.has(type);
  }

  /** Delivers `payload` to every listener of `type`, synchronously, in subscription order. */
  emit<Type extends keyof Events>(type: Type, payload: Events[Type]): void {
    const list = this.listeners.get(type);
    if (list === undefined) return;
    const delivered = this.prepare === undefined ? payload : this.prepare(type, payload);
    for (const listener of list) {
      try {
        (listener as EventListener<Events[Type]>)(delivered);
      } catch (error) {
        this.onListenerError(error, type);
      }
    }
  }
}
