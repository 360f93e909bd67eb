import type { Clock, Span, TimerHandle, Tracer } from '@trellis/core';

/** `CLOCK` inside a worker or process: this side's own time, as the host's system clock would give. */
export const localClock: Clock = {
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

const noopSpan: Span = { setAttribute() {}, recordException() {}, setStatus() {}, end() {} };

/**
 * `TRACER` inside a worker or process: runs `fn` with a span that records nothing. `withSpan` is
 * synchronous, so it cannot wait for a host-side tracer; the trace still follows the plugin's
 * calls to the host through `traceparent`.
 */
export const localTracer: Tracer = {
  withSpan: (_name, fn) => fn(noopSpan),
};
