/**
 * An exponential moving average over roughly `window` samples (factor 2 / (window + 1)), that
 * starts as the plain mean of its first `warmup` samples, so one early outlier does not define the
 * baseline for hundreds of samples (Netflix `ExpAvgMeasurement`).
 */
export class ExpAvg {
  #value = 0;
  #count = 0;
  readonly #factor: number;
  readonly #warmup: number;

  constructor(window: number, warmup: number) {
    this.#factor = 2 / (window + 1);
    this.#warmup = warmup;
  }

  /** The current average; 0 before the first sample. */
  get value(): number {
    return this.#value;
  }

  /** Folds in `sample` and returns the new average. */
  add(sample: number): number {
    if (this.#count < this.#warmup) {
      this.#count += 1;
      this.#value += (sample - this.#value) / this.#count;
    } else {
      this.#value = this.#value * (1 - this.#factor) + sample * this.#factor;
    }
    return this.#value;
  }

  /** Multiplies the average by `factor`, to decay a stale baseline without waiting for samples. */
  scale(factor: number): void {
    this.#value *= factor;
  }
}
