import { type Disposer, toDisposer } from '../disposer.js';
import type { EventBus, EventListener, ListenerFailure } from './event-bus.js';

type AnyListener = EventListener<unknown>;

// Wrapped so the same function subscribed twice is two subscriptions, disposed one at a time.
interface Subscription {
  readonly fn: AnyListener;
}

/** Options of {@link LocalEventBus}. */
export interface LocalEventBusOptions {
  /** Receives listener failures when no `onListenerError` listener is subscribed. */
  readonly fallback?: (failure: ListenerFailure) => void;
}

/**
 * The default in-process {@link EventBus}. Listeners run in subscription order; the listener list
 * is copied on write, so subscribing or unsubscribing during an emit affects the next emit only.
 */
export class LocalEventBus<E extends object> implements EventBus<E> {
  // Copy-on-write arrays: emit (the hot path) iterates without allocating.
  readonly #listeners = new Map<string, readonly Subscription[]>();
  #errorListeners: readonly ((failure: ListenerFailure) => void)[] = [];
  readonly #fallback: (failure: ListenerFailure) => void;

  constructor(options: LocalEventBusOptions = {}) {
    this.#fallback =
      options.fallback ??
      ((failure) => process.emitWarning(`Listener for "${failure.event}" failed: ${String(failure.error)}`));
  }

  on<K extends keyof E & string>(event: K, listener: EventListener<E[K]>): Disposer {
    const subscription: Subscription = { fn: listener as AnyListener };
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), subscription]);
    return toDisposer(() => this.#remove(event, subscription));
  }

  once<K extends keyof E & string>(event: K, listener: EventListener<E[K]>): Disposer {
    const disposer = this.on(event, (payload) => {
      disposer.dispose();
      return listener(payload);
    });
    return disposer;
  }

  emit<K extends keyof E & string>(event: K, payload: E[K]): void {
    const listeners = this.#listeners.get(event);
    if (!listeners) return;
    for (const { fn } of listeners) {
      try {
        const result = fn(payload);
        if (isPromiseLike(result)) result.catch((error: unknown) => this.#report(event, error));
      } catch (error) {
        this.#report(event, error);
      }
    }
  }

  async emitAsync<K extends keyof E & string>(event: K, payload: E[K]): Promise<void> {
    const listeners = this.#listeners.get(event);
    if (!listeners) return;
    const settled = await Promise.allSettled(listeners.map(async ({ fn }) => fn(payload)));
    for (const outcome of settled) {
      if (outcome.status === 'rejected') this.#report(event, outcome.reason);
    }
  }

  onListenerError(listener: (failure: ListenerFailure) => void): Disposer {
    this.#errorListeners = [...this.#errorListeners, listener];
    return toDisposer(() => {
      this.#errorListeners = this.#errorListeners.filter((l) => l !== listener);
    });
  }

  listenerCount(event: keyof E & string): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  #remove(event: string, subscription: Subscription): void {
    const remaining = (this.#listeners.get(event) ?? []).filter((s) => s !== subscription);
    if (remaining.length === 0) this.#listeners.delete(event);
    else this.#listeners.set(event, remaining);
  }

  #report(event: string, error: unknown): void {
    const failure: ListenerFailure = { event, error };
    if (this.#errorListeners.length === 0) {
      this.#fallback(failure);
      return;
    }
    for (const listener of this.#errorListeners) {
      try {
        listener(failure);
      } catch (nested) {
        // An error listener that throws must not recurse into itself.
        this.#fallback({ event, error: nested });
      }
    }
  }
}

function isPromiseLike(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | undefined)?.then === 'function';
}
