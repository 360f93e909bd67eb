import { type Clock, systemClock } from '@trellis/core';
import { PlanHasProblemsError } from './desired-state-errors.js';
import type {
  DesiredStatePlan,
  DisableAction,
  DowngradeAction,
  EnableAction,
  InstallAction,
  PlanAction,
  ReinstallAction,
  SetIsolationAction,
  UninstallAction,
  UpgradeAction,
} from './desired-state-plan.js';

/**
 * Carries out plan actions over the plugin store, one method per action kind. Each call is one
 * store transaction: it either happens completely or not at all, and rejects on failure.
 *
 * For a plan to converge (plan → apply → plan gives nothing to do), each method must leave the
 * store in the state the planner expects:
 * - `install`: the version active, the plugin disabled, no isolation override;
 * - `upgrade` / `downgrade` / `reinstall`: the new code active, `enabled` and isolation kept;
 * - `uninstall`: no version active (held versions may stay), enabled flag and override forgotten;
 * - `enable` / `disable` / `setIsolation`: that one setting changed.
 */
export interface DesiredStateExecutor {
  install(action: InstallAction): Promise<unknown>;
  upgrade(action: UpgradeAction): Promise<unknown>;
  downgrade(action: DowngradeAction): Promise<unknown>;
  reinstall(action: ReinstallAction): Promise<unknown>;
  uninstall(action: UninstallAction): Promise<unknown>;
  enable(action: EnableAction): Promise<unknown>;
  disable(action: DisableAction): Promise<unknown>;
  setIsolation(action: SetIsolationAction): Promise<unknown>;
}

/** Progress of {@link applyPlan}: each action reports `start`, then `applied` or `failed`. */
export type ApplyPlanEvent =
  | { readonly type: 'start'; readonly action: PlanAction; readonly index: number; readonly total: number }
  | {
      readonly type: 'applied';
      readonly action: PlanAction;
      readonly index: number;
      readonly total: number;
      readonly durationMs: number;
    }
  | {
      readonly type: 'failed';
      readonly action: PlanAction;
      readonly index: number;
      readonly total: number;
      readonly durationMs: number;
      readonly error: unknown;
    };

/** Options of {@link applyPlan}. */
export interface ApplyPlanOptions {
  /**
   * Called before and after each action, e.g. to print progress. A listener that throws does not
   * stop the apply: the store is mid-plan and must not be left there for a display problem.
   */
  readonly onAction?: (event: ApplyPlanEvent) => void;
  /** Times the actions; default the system clock. */
  readonly clock?: Pick<Clock, 'now'>;
}

/** What {@link applyPlan} did. */
export interface ApplyPlanResult {
  /** Actions that completed, in order. */
  readonly applied: readonly PlanAction[];
  /** The action that failed and its error; absent when every action completed. */
  readonly failed?: { readonly action: PlanAction; readonly error: unknown };
  /** Actions not attempted because an earlier one failed. */
  readonly skipped: readonly PlanAction[];
  readonly durationMs: number;
}

/**
 * Applies a plan's actions in plan order, one at a time (each is a store transaction, and the
 * order is what keeps dependencies in place), and stops at the first failure: later actions are
 * returned as `skipped`, never attempted, because they may rely on the failed one. Planning
 * again from the store's state then shows what is left to do.
 *
 * An action failure is reported in the result, not thrown, so the caller can print what did and
 * did not happen.
 *
 * @throws {@link PlanHasProblemsError} (`PLUGIN_PLAN_HAS_PROBLEMS`) when the plan has problems;
 * no action runs.
 * @example
 * ```ts
 * const result = await applyPlan(plan, storeExecutor, { onAction: (e) => e.type === 'applied' && log(e.action) });
 * if (result.failed) console.error(`${result.failed.action.kind} ${result.failed.action.name} failed`);
 * ```
 */
export async function applyPlan(
  plan: DesiredStatePlan,
  executor: DesiredStateExecutor,
  options: ApplyPlanOptions = {},
): Promise<ApplyPlanResult> {
  if (plan.problems.length > 0) throw new PlanHasProblemsError(plan.problems);
  const clock = options.clock ?? systemClock;
  const notify = (event: ApplyPlanEvent) => {
    try {
      options.onAction?.(event);
    } catch {
      // Deliberately ignored; see ApplyPlanOptions.onAction.
    }
  };
  const started = clock.now();
  const total = plan.actions.length;
  const applied: PlanAction[] = [];
  for (const [index, action] of plan.actions.entries()) {
    notify({ type: 'start', action, index, total });
    const actionStarted = clock.now();
    try {
      await run(executor, action);
    } catch (error) {
      notify({ type: 'failed', action, index, total, durationMs: clock.now() - actionStarted, error });
      return {
        applied,
        failed: { action, error },
        skipped: plan.actions.slice(index + 1),
        durationMs: clock.now() - started,
      };
    }
    applied.push(action);
    notify({ type: 'applied', action, index, total, durationMs: clock.now() - actionStarted });
  }
  return { applied, skipped: [], durationMs: clock.now() - started };
}

function run(executor: DesiredStateExecutor, action: PlanAction): Promise<unknown> {
  switch (action.kind) {
    case 'install':
      return executor.install(action);
    case 'upgrade':
      return executor.upgrade(action);
    case 'downgrade':
      return executor.downgrade(action);
    case 'reinstall':
      return executor.reinstall(action);
    case 'uninstall':
      return executor.uninstall(action);
    case 'enable':
      return executor.enable(action);
    case 'disable':
      return executor.disable(action);
    case 'set-isolation':
      return executor.setIsolation(action);
  }
}
