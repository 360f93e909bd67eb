/**
 * Two counters summed over a sliding time window, kept in a ring of buckets: adding is O(1)
 * and allocation-free, and reading the totals never walks the ring. The window covers between
 * `(buckets − 1) / buckets` and all of `windowMs`, which is precise enough for rates.
 */
export class SlidingWindow {
  readonly #bucketMs: number;
  readonly #first: Float64Array;
  readonly #second: Float64Array;
  #head = Number.NEGATIVE_INFINITY;
  #firstTotal = 0;
  #secondTotal = 0;

  constructor(windowMs: number, buckets = 10) {
    this.#bucketMs = Math.max(1, windowMs / buckets);
    this.#first = new Float64Array(buckets);
    this.#second = new Float64Array(buckets);
  }

  /** Adds to both counters at time `now`. */
  add(now: number, first: number, second: number): void {
    const index = this.#rotate(now);
    this.#first[index] = (this.#first[index] ?? 0) + first;
    this.#second[index] = (this.#second[index] ?? 0) + second;
    this.#firstTotal += first;
    this.#secondTotal += second;
  }

  /** The first counter's total over the window ending at `now`. */
  first(now: number): number {
    this.#rotate(now);
    return this.#firstTotal;
  }

  /** The second counter's total over the window ending at `now`. */
  second(now: number): number {
    this.#rotate(now);
    return this.#secondTotal;
  }

  /** Forgets everything, e.g. when a breaker closes and old failures must not count again. */
  clear(): void {
    this.#first.fill(0);
    this.#second.fill(0);
    this.#firstTotal = 0;
    this.#secondTotal = 0;
  }

  /** Drops the buckets that left the window; returns the ring index of `now`'s bucket. */
  #rotate(now: number): number {
    const size = this.#first.length;
    const bucket = Math.floor(now / this.#bucketMs);
    if (bucket > this.#head) {
      const steps = Math.min(size, bucket - this.#head);
      for (let i = 1; i <= steps; i++) {
        const index = (((bucket - steps + i) % size) + size) % size;
        this.#firstTotal -= this.#first[index] ?? 0;
        this.#secondTotal -= this.#second[index] ?? 0;
        this.#first[index] = 0;
        this.#second[index] = 0;
      }
      this.#head = bucket;
    }
    // A clock that stepped back keeps counting into the newest bucket rather than an old one.
    return ((this.#head % size) + size) % size;
  }
}
