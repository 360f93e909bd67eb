import type { DesiredStatePlan } from './desired-state-plan.js';

/** How many plugins a plan installs, changes and removes: the `Plan: …` line and `--json`'s summary. */
export interface PlanSummary {
  /** Plugins that get an `install` (with whatever `enable` or `set-isolation` follows it). */
  readonly install: number;
  /** Installed plugins that stay, with at least one action. */
  readonly change: number;
  /** Plugins that get an `uninstall`. */
  readonly remove: number;
}

/**
 * Counts plugins, not actions, as terraform counts resources: a new plugin that is installed
 * and then enabled is one "to install".
 */
export function summarizePlan(plan: DesiredStatePlan): PlanSummary {
  const installed = new Set<string>();
  const removed = new Set<string>();
  const touched = new Set<string>();
  for (const action of plan.actions) {
    touched.add(action.name);
    if (action.kind === 'install') installed.add(action.name);
    if (action.kind === 'uninstall') removed.add(action.name);
  }
  return {
    install: installed.size,
    change: touched.size - installed.size - removed.size,
    remove: removed.size,
  };
}
