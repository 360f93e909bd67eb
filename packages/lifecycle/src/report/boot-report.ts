/** How one plugin's boot ended. `skipped`: not started because a plugin it needs failed. */
export type PluginBootOutcome = 'active' | 'failed' | 'disabled' | 'lazy' | 'skipped';

/** Every {@link PluginBootOutcome}, in the order reports list them. */
export const PLUGIN_BOOT_OUTCOMES: readonly PluginBootOutcome[] = Object.freeze([
  'active',
  'lazy',
  'failed',
  'disabled',
  'skipped',
] as const);

/** A failure as a report carries it: plain data, safe to serialise. */
export interface BootErrorSummary {
  readonly code: string;
  readonly message: string;
}

/** What happened to one plugin during boot. */
export interface PluginBootRecord {
  readonly name: string;
  readonly version: string;
  readonly isolation: 'inline' | 'worker' | 'process';
  /** The dependency wave it started in, from 0; -1 for a disabled plugin. */
  readonly wave: number;
  readonly outcome: PluginBootOutcome;
  /** Boot is not ready unless every critical plugin is active. */
  readonly critical: boolean;
  /** What its failure does to the boot. */
  readonly policy: 'abort' | 'continue';
  /** Names of the plugins it waited for. */
  readonly dependencies: readonly string[];
  readonly timings: { readonly loadMs: number; readonly setupMs: number; readonly startMs: number };
  readonly error?: BootErrorSummary;
}

/** The result of booting every plugin, as `trellis plugins boot-report` prints it. */
export interface BootReport {
  /** Epoch ms. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** Plugin names per wave; a wave starts once the previous one is up. */
  readonly waves: readonly (readonly string[])[];
  readonly plugins: readonly PluginBootRecord[];
  /** True when every critical plugin is active. */
  readonly ready: boolean;
  /** Set when a plugin with policy `abort` failed and stopped the boot. */
  readonly aborted?: { readonly plugin: string; readonly error: BootErrorSummary };
  readonly counts: Record<PluginBootOutcome, number>;
}

/** Counts `records` by outcome; every outcome is present, zero included. */
export function summarizeOutcomes(
  records: readonly Pick<PluginBootRecord, 'outcome'>[],
): Record<PluginBootOutcome, number> {
  const counts: Record<PluginBootOutcome, number> = {
    active: 0,
    lazy: 0,
    failed: 0,
    disabled: 0,
    skipped: 0,
  };
  for (const record of records) counts[record.outcome] += 1;
  return counts;
}
