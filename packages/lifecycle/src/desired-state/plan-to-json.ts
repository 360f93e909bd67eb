import type { DesiredStatePlan, PlanAction, PlanProblem } from './desired-state-plan.js';
import { type PlanSummary, summarizePlan } from './summarize-plan.js';

/** The `--json` form of a plan. `format` changes only when a field changes meaning or goes away. */
export interface DesiredStatePlanJson {
  readonly format: 1;
  readonly summary: PlanSummary;
  readonly actions: readonly PlanAction[];
  readonly unchanged: readonly string[];
  readonly problems: readonly PlanProblem[];
}

// Fixed key orders, so that `JSON.stringify` of equal plans gives equal text (diffable in CI).
const ACTION_KEYS = [
  'kind',
  'name',
  'version',
  'from',
  'to',
  'source',
  'sourceAsWritten',
  'fromDigest',
  'digest',
  'reason',
] as const;
const PROBLEM_KEYS = ['kind', 'plugins', 'message', 'location'] as const;

/**
 * A plan as plain JSON data for `trellis plugins plan --json` and the admin API: fixed key order,
 * no `undefined` fields, and a summary counted as {@link renderPlan} counts it.
 *
 * @example
 * ```ts
 * process.stdout.write(`${JSON.stringify(planToJson(plan), null, 2)}\n`);
 * ```
 */
export function planToJson(plan: DesiredStatePlan): DesiredStatePlanJson {
  return {
    format: 1,
    summary: summarizePlan(plan),
    actions: plan.actions.map((action) => pick(action, ACTION_KEYS) as unknown as PlanAction),
    unchanged: [...plan.unchanged],
    problems: plan.problems.map((problem) => {
      const copy = pick(problem, PROBLEM_KEYS);
      return { ...copy, plugins: [...problem.plugins] } as unknown as PlanProblem;
    }),
  };
}

function pick(value: object, keys: readonly string[]): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) copy[key] = source[key];
  return copy;
}
