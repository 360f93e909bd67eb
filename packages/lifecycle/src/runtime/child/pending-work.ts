/**
 * Registrations the plugin made that the host has not confirmed yet (routes, event
 * subscriptions). `route()` and `on()` must return synchronously, so the hook that made them is
 * held until the host has them: a hook does not finish before its routes are served, and a
 * registration the host refused fails the hook. One refused outside any hook is reported.
 */
export class PendingWork {
  readonly #pending = new Set<Promise<unknown>>();
  readonly #reportOrphan: (error: unknown) => void;
  #hooksRunning = 0;

  constructor(reportOrphan: (error: unknown) => void) {
    this.#reportOrphan = reportOrphan;
  }

  /** Holds the running hook (if any) until `work` settles. */
  track(work: Promise<unknown>): void {
    this.#pending.add(work);
    work.then(
      () => this.#pending.delete(work),
      (error: unknown) => {
        if (this.#hooksRunning === 0 && this.#pending.delete(work)) this.#reportOrphan(error);
      },
    );
  }

  /** Runs a hook, then waits for what it registered; its first refused registration fails it. */
  async runHook<T>(hook: () => T | Promise<T>): Promise<T> {
    this.#hooksRunning += 1;
    try {
      const result = await hook();
      while (this.#pending.size > 0) {
        const batch = [...this.#pending];
        for (const work of batch) this.#pending.delete(work);
        await Promise.all(batch);
      }
      return result;
    } finally {
      this.#hooksRunning -= 1;
    }
  }
}
