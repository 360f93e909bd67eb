/** A scheduled callback that can be cancelled. */
export interface TimerHandle {
  /** Cancels the callback; calling it after the callback ran is harmless. */
  cancel(): void;
  /** Lets the process exit while this timer is pending (no-op on clocks without a process). */
  unref(): TimerHandle;
}

/**
 * The source of time for everything in Trellis that waits or timestamps.
 *
 * Injected (token `CLOCK`) so tests drive time with a {@link ManualClock} and never sleep.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
}

/** The real clock: `Date.now()` and Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    const handle: TimerHandle = {
      cancel: () => clearTimeout(timer),
      unref: () => {
        timer.unref();
        return handle;
      },
    };
    return handle;
  },
};
