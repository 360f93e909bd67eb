import { type Clock, systemClock } from '../time/clock.js';
import type { AuditEntry, AuditLog, AuditQuery, AuditRecord } from './audit-log.js';

/** Options of {@link MemoryAuditLog}. */
export interface MemoryAuditLogOptions {
  /** Most records kept; the oldest are dropped first. Default 10,000. */
  readonly maxRecords?: number;
  readonly clock?: Clock;
}

/**
 * The default {@link AuditLog}: a bounded in-memory list. It keeps nothing across restarts and
 * is not tamper-evident; use `@trellis/security` in production.
 */
export class MemoryAuditLog implements AuditLog {
  readonly #records: AuditRecord[] = [];
  readonly #maxRecords: number;
  readonly #clock: Clock;
  #sequence = 0;

  constructor(options: MemoryAuditLogOptions = {}) {
    this.#maxRecords = options.maxRecords ?? 10_000;
    this.#clock = options.clock ?? systemClock;
  }

  async record(entry: AuditEntry): Promise<AuditRecord> {
    const record: AuditRecord = Object.freeze({
      ...entry,
      sequence: ++this.#sequence,
      at: this.#clock.now(),
    });
    this.#records.push(record);
    if (this.#records.length > this.#maxRecords)
      this.#records.splice(0, this.#records.length - this.#maxRecords);
    return record;
  }

  async query(filter: AuditQuery = {}): Promise<readonly AuditRecord[]> {
    const matches = this.#records.filter(
      (r) =>
        (filter.actor === undefined || r.actor === filter.actor) &&
        (filter.action === undefined || r.action === filter.action) &&
        (filter.target === undefined || r.target === filter.target) &&
        (filter.since === undefined || r.at >= filter.since),
    );
    // Not `slice(-limit)`: `-0` is `0`, which would return every match for `limit: 0`.
    return filter.limit === undefined ? matches : matches.slice(Math.max(0, matches.length - filter.limit));
  }
}
