import '../events/resilience-events.js';
import { type Clock, type EventBus, systemClock, type TimerHandle, type TrellisEvents } from '@trellis/core';
import { type AttemptContext, isThenable, type PolicyFn } from './attempt-context.js';
import { PolicyTimeoutError } from './policy-errors.js';

/** Options of {@link Timeout}. */
export interface TimeoutOptions {
  readonly clock?: Clock;
  /** Receives `resilience.timeout`; payloads are built only while someone listens. */
  readonly bus?: EventBus<TrellisEvents>;
}

/** One attempt in flight: a node of the timeout's deadline list, and the callee's context. */
class TimedAttempt implements AttemptContext {
  readonly attempt: number;
  readonly deadline: number;
  prev: TimedAttempt | undefined;
  next: TimedAttempt | undefined;
  reject: (error: unknown) => void = noop;
  /** Set once the attempt timed out; the callee's late outcome is then ignored. */
  expired: PolicyTimeoutError | undefined;
  readonly #outer: AbortSignal | undefined;
  #controller: AbortController | undefined;
  #signal: AbortSignal | undefined;

  constructor(attempt: number, deadline: number, outer: AbortSignal | undefined) {
    this.attempt = attempt;
    this.deadline = deadline;
    this.#outer = outer;
  }

  get signal(): AbortSignal {
    if (this.#signal === undefined) {
      this.#controller = new AbortController();
      if (this.expired) this.#controller.abort(this.expired);
      this.#signal =
        this.#outer === undefined
          ? this.#controller.signal
          : AbortSignal.any([this.#outer, this.#controller.signal]);
    }
    return this.#signal;
  }

  /** Aborts the signal, if the callee asked for one. */
  abort(reason: PolicyTimeoutError): void {
    this.expired = reason;
    this.#controller?.abort(reason);
  }
}

function noop(): void {}

/**
 * Bounds an attempt's duration without the per-call cost of the usual design. cockatiel's
 * timeout creates an `AbortController` and a timer for every call, and by default aborts the
 * signal after every *successful* call too (6–15 µs a call). Here:
 *
 * - The signal is built only if the callee reads `ctx.signal`.
 * - All attempts share one timer. The duration is the same for every attempt, so deadlines
 *   come in start order: attempts sit in a linked list (O(1) insert and removal), and one
 *   timer, armed for the oldest deadline, expires the due ones and re-arms for the next.
 *   A finished attempt only unlinks itself; the timer is not touched.
 *
 * On expiry the caller's promise rejects with {@link PolicyTimeoutError} at once, and the
 * callee's signal (if read) aborts with it; the callee's late result is discarded.
 */
export class Timeout {
  readonly name: string;
  readonly ms: number;
  readonly #clock: Clock;
  readonly #bus: EventBus<TrellisEvents> | undefined;
  #head: TimedAttempt | undefined;
  #tail: TimedAttempt | undefined;
  #timer: TimerHandle | undefined;
  readonly #fire = () => this.#expire();

  constructor(name: string, ms: number, options: TimeoutOptions = {}) {
    this.name = name;
    this.ms = ms;
    this.#clock = options.clock ?? systemClock;
    this.#bus = options.bus;
  }

  /** Attempts in flight. O(n); for tests and diagnostics. */
  get inFlight(): number {
    let count = 0;
    for (let node = this.#head; node; node = node.next) count++;
    return count;
  }

  /** Runs `fn` under the timeout. */
  execute<T>(fn: PolicyFn<T>, options: { readonly signal?: AbortSignal } = {}): Promise<T> {
    try {
      return Promise.resolve(this.run(fn, options.signal, 1, this.#clock.now()));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Runs attempt `attempt` of a call, started at `now`. A synchronous result is returned as is
   * (nothing to bound); a synchronous throw propagates.
   */
  run<T>(fn: PolicyFn<T>, signal: AbortSignal | undefined, attempt: number, now: number): T | Promise<T> {
    const entry = new TimedAttempt(attempt, now + this.ms, signal);
    this.#append(entry);
    let result: T | PromiseLike<T>;
    try {
      result = fn(entry);
    } catch (error) {
      this.#unlink(entry);
      throw error;
    }
    if (!isThenable(result)) {
      this.#unlink(entry);
      return result;
    }
    const pending = result;
    return new Promise<T>((resolve, reject) => {
      entry.reject = reject;
      pending.then(
        (value) => {
          if (entry.expired) return;
          this.#unlink(entry);
          resolve(value);
        },
        (error: unknown) => {
          if (entry.expired) return;
          this.#unlink(entry);
          reject(error);
        },
      );
    });
  }

  /** Expires every attempt in flight now (shutdown); their callers reject with the timeout error. */
  dispose(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    while (this.#head) this.#timeOut(this.#head);
  }

  #append(entry: TimedAttempt): void {
    const tail = this.#tail;
    if (tail === undefined) this.#head = entry;
    else {
      tail.next = entry;
      entry.prev = tail;
    }
    this.#tail = entry;
    if (this.#timer === undefined) this.#arm(entry.deadline);
  }

  #unlink(entry: TimedAttempt): void {
    const { prev, next } = entry;
    if (prev === undefined) this.#head = next;
    else prev.next = next;
    if (next === undefined) this.#tail = prev;
    else next.prev = prev;
    entry.prev = undefined;
    entry.next = undefined;
  }

  #arm(deadline: number): void {
    // Unref'd: an idle policy must not keep the process alive; pending work holds it anyway.
    this.#timer = this.#clock.setTimeout(this.#fire, Math.max(1, deadline - this.#clock.now())).unref();
  }

  #expire(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    while (this.#head !== undefined && this.#head.deadline <= now) this.#timeOut(this.#head);
    if (this.#head !== undefined) this.#arm(this.#head.deadline);
  }

  #timeOut(entry: TimedAttempt): void {
    this.#unlink(entry);
    const error = new PolicyTimeoutError(this.name, this.ms);
    entry.abort(error);
    entry.reject(error);
    const bus = this.#bus;
    if (bus !== undefined && bus.listenerCount('resilience.timeout') > 0) {
      bus.emit('resilience.timeout', { policy: this.name, timeoutMs: this.ms });
    }
  }
}
