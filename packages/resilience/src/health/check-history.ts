import type { HealthHistoryEntry } from './health-types.js';

/** A fixed-size ring of a check's last outcomes, so the admin API can show flapping. */
export class CheckHistory {
  readonly #capacity: number;
  readonly #entries: HealthHistoryEntry[] = [];
  #next = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Records one outcome, dropping the oldest when full. */
  push(entry: HealthHistoryEntry): void {
    if (this.#entries.length < this.#capacity) this.#entries.push(entry);
    else this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  /** The kept outcomes, oldest first. */
  entries(): readonly HealthHistoryEntry[] {
    if (this.#entries.length < this.#capacity) return [...this.#entries];
    return [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)];
  }
}
