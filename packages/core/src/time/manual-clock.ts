import type { Clock, TimerHandle } from './clock.js';

interface PendingTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/**
 * A {@link Clock} that only moves when told to, for deterministic tests of timeouts and TTLs.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const stopping = platform.stop();
 * await clock.advanceAsync(5_000); // the module's stop deadline passes
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 0;
  #timers: PendingTimer[] = [];

  constructor(startAt = 0) {
    this.#now = startAt;
  }

  /** The current manual time. */
  now(): number {
    return this.#now;
  }

  /** Schedules `callback` at `now() + ms`; it runs during a later {@link advance}. */
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: PendingTimer = { id: this.#nextId++, due: this.#now + Math.max(0, ms), callback };
    this.#timers.push(timer);
    const handle: TimerHandle = {
      cancel: () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
      },
      unref: () => handle,
    };
    return handle;
  }

  /** How many timers are waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, running due timers in order, synchronously. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (let timer = this.#nextDue(target); timer; timer = this.#nextDue(target)) {
      this.#now = timer.due;
      timer.callback();
    }
    this.#now = target;
  }

  /**
   * Like {@link advance}, but lets pending promise callbacks run before and after each timer, so
   * code that awaits between timers (deadlines, retries) behaves as it does on a real clock.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flushMicrotasks();
    for (let timer = this.#nextDue(target); timer; timer = this.#nextDue(target)) {
      this.#now = timer.due;
      timer.callback();
      await flushMicrotasks();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  #nextDue(target: number): PendingTimer | undefined {
    let next: PendingTimer | undefined;
    for (const timer of this.#timers) {
      if (
        timer.due <= target &&
        (!next || timer.due < next.due || (timer.due === next.due && timer.id < next.id))
      ) {
        next = timer;
      }
    }
    if (next) this.#timers = this.#timers.filter((t) => t !== next);
    return next;
  }
}

async function flushMicrotasks(): Promise<void> {
  // setImmediate runs after every queued promise callback, however deep the chain.
  await new Promise<void>((resolve) => setImmediate(resolve));
}
