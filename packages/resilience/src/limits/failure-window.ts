/**
 * Request and failure counts over the last `windowMs`, kept in `buckets` time slices so memory
 * is fixed however busy a member is; the oldest slice is dropped as time moves on. Precision is
 * one slice (`windowMs / buckets`).
 */
export class FailureWindow {
  readonly #bucketMs: number;
  readonly #requests: number[];
  readonly #failures: number[];
  // Absolute slice number (time / bucketMs) of the newest slice.
  #epoch = Number.NEGATIVE_INFINITY;
  #totalRequests = 0;
  #totalFailures = 0;

  constructor(windowMs: number, buckets: number) {
    this.#bucketMs = windowMs / buckets;
    this.#requests = new Array<number>(buckets).fill(0);
    this.#failures = new Array<number>(buckets).fill(0);
  }

  /** Requests within the window ending at `now`. */
  requests(now: number): number {
    this.#advance(now);
    return this.#totalRequests;
  }

  /** Failures within the window ending at `now`. */
  failures(now: number): number {
    this.#advance(now);
    return this.#totalFailures;
  }

  /** Counts one request at `now`, failed or not. */
  record(now: number, failed: boolean): void {
    this.#advance(now);
    const slot = this.#slot(this.#epoch);
    this.#requests[slot] = (this.#requests[slot] ?? 0) + 1;
    this.#totalRequests += 1;
    if (failed) {
      this.#failures[slot] = (this.#failures[slot] ?? 0) + 1;
      this.#totalFailures += 1;
    }
  }

  /** Forgets every count (a member back from ejection starts with a clean slate). */
  reset(): void {
    this.#requests.fill(0);
    this.#failures.fill(0);
    this.#totalRequests = 0;
    this.#totalFailures = 0;
  }

  #advance(now: number): void {
    const epoch = Math.floor(now / this.#bucketMs);
    if (epoch <= this.#epoch) return;
    const stale = epoch - this.#epoch;
    if (stale >= this.#requests.length) {
      this.reset();
    } else {
      for (let e = this.#epoch + 1; e <= epoch; e += 1) {
        const slot = this.#slot(e);
        this.#totalRequests -= this.#requests[slot] ?? 0;
        this.#totalFailures -= this.#failures[slot] ?? 0;
        this.#requests[slot] = 0;
        this.#failures[slot] = 0;
      }
    }
    this.#epoch = epoch;
  }

  #slot(epoch: number): number {
    const n = this.#requests.length;
    return ((epoch % n) + n) % n;
  }
}
