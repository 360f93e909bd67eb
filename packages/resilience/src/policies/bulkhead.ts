import type { BulkheadConfig } from './policy-schema.js';

interface Waiter {
  readonly resolve: () => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

/**
 * A cap on concurrent calls with a bounded FIFO queue. The common case (a free slot) is a
 * synchronous counter increment: no promise, no queue node.
 */
export class Bulkhead {
  readonly config: BulkheadConfig;
  #active = 0;
  // A FIFO as an array with a moving head: dequeue is O(1) without Array#shift.
  readonly #queue: (Waiter | undefined)[] = [];
  #queueHead = 0;

  constructor(config: BulkheadConfig) {
    this.config = config;
  }

  /** Calls holding a slot. */
  get active(): number {
    return this.#active;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.#queue.length - this.#queueHead;
  }

  /** Takes a slot if one is free. */
  tryEnter(): boolean {
    if (this.#active >= this.config.limit) return false;
    this.#active++;
    return true;
  }

  /** True when a call that found no slot may wait for one. */
  canQueue(): boolean {
    return this.queued < this.config.queue;
  }

  /**
   * Waits for a slot (call only after {@link Bulkhead.tryEnter} failed and {@link Bulkhead.canQueue}
   * allowed it). Rejects with the signal's reason, and leaves the queue, if `signal` aborts first.
   */
  wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      let waiter: Waiter;
      const onAbort =
        signal === undefined
          ? undefined
          : () => {
              const index = this.#queue.indexOf(waiter, this.#queueHead);
              if (index >= 0) this.#queue.splice(index, 1);
              reject(signal.reason);
            };
      waiter = { resolve, signal, onAbort };
      if (onAbort) signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** Frees a slot; the oldest waiter, if any, takes it over. */
  leave(): void {
    const waiter = this.#queue[this.#queueHead];
    if (waiter === undefined) {
      this.#active--;
      return;
    }
    this.#queue[this.#queueHead++] = undefined;
    if (this.#queueHead === this.#queue.length) {
      this.#queue.length = 0;
      this.#queueHead = 0;
    } else if (this.#queueHead > 1_024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#queueHead);
      this.#queueHead = 0;
    }
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    // The slot passes straight to the waiter: #active stays the same.
    waiter.resolve();
  }
}
