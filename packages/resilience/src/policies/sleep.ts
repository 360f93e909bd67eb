import type { Clock } from '@trellis/core';

/**
 * Waits `ms` on `clock` (a `ManualClock` in tests, so backoff never really sleeps); rejects
 * with the signal's reason as soon as `signal` aborts. A zero delay still goes through the
 * clock, so back-to-back retries yield to the event loop.
 */
export function sleep(
  clock: Clock,
  ms: number,
  signal?: AbortSignal,
  options: { readonly unref?: boolean } = {},
): Promise<void> {
  if (signal === undefined) {
    return new Promise((resolve) => {
      const timer = clock.setTimeout(resolve, ms);
      if (options.unref) timer.unref();
    });
  }
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(signal.reason);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    // An unref'd wait (a supervisor's backoff) never holds the process open by itself.
    if (options.unref) timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
