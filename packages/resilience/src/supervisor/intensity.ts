/**
 * OTP's restart intensity for one child: a sliding window of restart times. A restart is allowed
 * while fewer than `maxRestarts` happened within the last `periodMs`.
 */
export class RestartIntensity {
  readonly #maxRestarts: number;
  readonly #periodMs: number;
  #restarts: number[] = [];

  constructor(options: { readonly maxRestarts: number; readonly periodMs: number }) {
    this.#maxRestarts = options.maxRestarts;
    this.#periodMs = options.periodMs;
  }

  /** Restarts within the window ending at `now`. */
  count(now: number): number {
    this.#prune(now);
    return this.#restarts.length;
  }

  /** Records a restart at `now` and returns true, or returns false when the intensity is used up. */
  tryRecord(now: number): boolean {
    this.#prune(now);
    if (this.#restarts.length >= this.#maxRestarts) return false;
    this.#restarts.push(now);
    return true;
  }

  /** Forgets every restart, after a long enough healthy run. */
  reset(): void {
    this.#restarts = [];
  }

  #prune(now: number): void {
    const since = now - this.#periodMs;
    // Restarts are recorded in time order, so the stale ones are a prefix.
    let stale = 0;
    while (stale < this.#restarts.length && (this.#restarts[stale] ?? 0) <= since) stale += 1;
    if (stale > 0) this.#restarts = this.#restarts.slice(stale);
  }
}
