/** The result of an audited action. */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/** What a caller records. */
export interface AuditEntry {
  /** Dotted verb, e.g. `plugin.install`, `config.set`. */
  readonly action: string;
  /** Who did it: a user id, `plugin:<name>`, or `system`. */
  readonly actor: string;
  /** What it was done to, e.g. a plugin name or config path. */
  readonly target?: string;
  readonly outcome: AuditOutcome;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A stored entry: what was recorded plus its sequence number and time. */
export interface AuditRecord extends AuditEntry {
  /** Increasing from 1 within one log. */
  readonly sequence: number;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** Filters for {@link AuditLog.query}; all given fields must match. */
export interface AuditQuery {
  readonly actor?: string;
  readonly action?: string;
  readonly target?: string;
  /** Only records at or after this epoch millisecond. */
  readonly since?: number;
  /** At most this many, newest last; default all. */
  readonly limit?: number;
}

/**
 * Audit log contract (token `AUDIT_LOG`): append-only. `@trellis/security` provides the
 * tamper-evident, file-backed implementation.
 */
export interface AuditLog {
  record(entry: AuditEntry): Promise<AuditRecord>;
  query(filter?: AuditQuery): Promise<readonly AuditRecord[]>;
}
