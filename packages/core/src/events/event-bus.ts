import type { Disposer } from '../disposer.js';

/** A listener; it may be sync or async (a returned promise is watched for rejection). */
export type EventListener<P> = (payload: P) => unknown;

/** Reported when a listener throws or rejects; the emitter and other listeners carry on. */
export interface ListenerFailure {
  readonly event: string;
  readonly error: unknown;
}

/**
 * A typed publish/subscribe bus (token `EVENT_BUS`). `E` maps event names to payload types;
 * the platform's map is {@link TrellisEvents}, which packages extend by declaration merging.
 */
export interface EventBus<E extends object> {
  /** Calls `listener` for every `event` until disposed. */
  on<K extends keyof E & string>(event: K, listener: EventListener<E[K]>): Disposer;
  /** Calls `listener` for the next `event` only. */
  once<K extends keyof E & string>(event: K, listener: EventListener<E[K]>): Disposer;
  /**
   * Delivers `payload` to every listener now, in subscription order, without waiting for async
   * listeners. A listener that throws or rejects is reported to {@link EventBus.onListenerError}.
   */
  emit<K extends keyof E & string>(event: K, payload: E[K]): void;
  /** Like {@link EventBus.emit}, but resolves once every listener has settled. Never rejects. */
  emitAsync<K extends keyof E & string>(event: K, payload: E[K]): Promise<void>;
  /** Hears every listener failure. With no error listener, failures go to the bus's fallback. */
  onListenerError(listener: (failure: ListenerFailure) => void): Disposer;
  listenerCount(event: keyof E & string): number;
}
