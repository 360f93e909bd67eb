import type { BootReport, PluginBootRecord } from '../report/boot-report.js';
import { summarizeOutcomes } from '../report/boot-report.js';
import { errorSummary } from './error-summary.js';
import type { ManagedPlugin } from './managed-plugin.js';

/** What {@link buildBootReport} reads. */
export interface BootReportInput {
  readonly plugins: readonly ManagedPlugin[];
  readonly waves: readonly (readonly string[])[];
  readonly startedAt: number;
  readonly now: number;
  readonly aborted: { readonly plugin: string; readonly error: unknown } | undefined;
}

/** The boot report of the plugins as they stand after boot. */
export function buildBootReport(input: BootReportInput): BootReport {
  const { aborted } = input;
  const records: PluginBootRecord[] = input.plugins.map((plugin) => {
    const error = plugin.error === undefined ? undefined : errorSummary(plugin.error);
    // A plugin with no outcome was never reached: lazy, or cut off by an aborted boot.
    const outcome = plugin.outcome ?? (aborted ? 'skipped' : 'lazy');
    return {
      name: plugin.name,
      version: plugin.manifest.version,
      isolation: plugin.isolation,
      wave: plugin.wave,
      outcome,
      critical: plugin.critical,
      policy: plugin.failure,
      dependencies: plugin.after,
      timings: { ...plugin.timings },
      ...(error ? { error } : {}),
    };
  });
  const ready = !aborted && records.every((record) => !record.critical || record.outcome === 'active');
  return {
    startedAt: input.startedAt,
    durationMs: input.now - input.startedAt,
    waves: input.waves,
    plugins: records,
    ready,
    ...(aborted ? { aborted: { plugin: aborted.plugin, error: errorSummary(aborted.error) } } : {}),
    counts: summarizeOutcomes(records),
  };
}
