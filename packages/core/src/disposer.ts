/** Returned by every `onX(listener)` and `register(...)`: call `dispose()` to undo it. */
export interface Disposer {
  /** Removes the listener or registration; calling it twice is harmless. */
  dispose(): void;
}

/** Wraps a cleanup function as a {@link Disposer} that runs at most once. */
export function toDisposer(cleanup: () => void): Disposer {
  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      cleanup();
    },
  };
}
