import {
  AUDIT_LOG,
  type AuditLog,
  type DependencyContainer,
  type Logger,
  type PluginActor,
  TrellisError,
} from '@trellis/core';
import { errorSummary } from './error-summary.js';

/** One finished plugin operation, as {@link auditOperation} records it. */
export interface AuditedOperation {
  readonly operation: string;
  readonly plugin: string;
  readonly actor: PluginActor;
  /** The plugins a manager operation stopped or started. */
  readonly affected?: readonly string[];
  readonly durationMs: number;
  readonly failure: unknown;
  /** More facts for the record, e.g. the versions a deployment went `from` and `to`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Writes an operation to the platform's audit log (who, what, which plugins, result, duration),
 * when one is registered. A vetoed operation is `denied`, not `failure`. An audit log that
 * cannot write is logged, never thrown: the operation itself already happened.
 */
export async function auditOperation(
  container: DependencyContainer,
  logger: Logger,
  entry: AuditedOperation,
): Promise<void> {
  if (!container.isRegistered(AUDIT_LOG, true)) return;
  const audit: AuditLog = container.resolve(AUDIT_LOG);
  const { failure, actor } = entry;
  const outcome =
    failure === undefined ? 'success' : TrellisError.is(failure, 'PLUGIN_HOOK_VETOED') ? 'denied' : 'failure';
  await audit
    .record({
      action: `plugin.${entry.operation}`,
      actor: actor.id,
      target: entry.plugin,
      outcome,
      details: {
        ...(actor.via ? { via: actor.via } : {}),
        ...(entry.affected === undefined ? {} : { affected: entry.affected }),
        ...entry.details,
        durationMs: entry.durationMs,
        ...(failure === undefined ? {} : { error: errorSummary(failure) }),
      },
    })
    .catch((error: unknown) =>
      logger.error({ err: errorSummary(error), plugin: entry.plugin }, 'could not write the audit record'),
    );
}
