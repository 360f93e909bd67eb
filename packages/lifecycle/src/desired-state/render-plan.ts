import type { DesiredStatePlan, PlanAction, PlanProblem, ReinstallAction } from './desired-state-plan.js';
import { DESIRED_STATE_FILE } from './desired-state-schema.js';
import { shortDigest } from './short-digest.js';
import { summarizePlan } from './summarize-plan.js';

/** Options of {@link renderPlan}. */
export interface RenderPlanOptions {
  /** ANSI colours for a terminal; default false. */
  readonly color?: boolean;
  /** Named in the "No changes" line; default `trellis.plugins.yaml`. */
  readonly file?: string;
}

const COLORS = { add: '\x1b[32m', change: '\x1b[33m', remove: '\x1b[31m', error: '\x1b[1;31m' } as const;
const RESET = '\x1b[0m';

type Tone = keyof typeof COLORS;

/**
 * Writes a plan for people, the way `terraform plan` does: problems first as `Error:` lines,
 * then one line per action in the order they will run, with a symbol (`+` install, `~` change,
 * `-` uninstall, `-/+` reinstall), then a summary line.
 *
 * @example
 * ```text
 *   - uninstall old 0.3.0
 *   + install hello 1.0.0 (from ./plugins/hello)
 *   ~ enable hello
 *   ~ upgrade weather 1.0.0 → 1.2.0
 *
 * Plan: 1 to install, 1 to change, 1 to remove.
 * ```
 */
export function renderPlan(plan: DesiredStatePlan, options: RenderPlanOptions = {}): string {
  const paint = (tone: Tone, text: string) => (options.color ? `${COLORS[tone]}${text}${RESET}` : text);
  const blocks: string[] = [];
  if (plan.problems.length > 0)
    blocks.push(plan.problems.map((problem) => errorLine(problem, paint)).join('\n'));
  if (plan.actions.length > 0)
    blocks.push(plan.actions.map((action) => actionLine(action, paint)).join('\n'));
  blocks.push(closingLine(plan, options.file ?? DESIRED_STATE_FILE));
  return `${blocks.join('\n\n')}\n`;
}

function errorLine(problem: PlanProblem, paint: (tone: Tone, text: string) => string): string {
  const at = problem.location === undefined ? '' : `${problem.location} `;
  return `${paint('error', 'Error:')} ${at}${problem.message}`;
}

function actionLine(action: PlanAction, paint: (tone: Tone, text: string) => string): string {
  const [symbol, tone, text] = describeAction(action);
  // Right-aligned in three columns so that `-/+` and `+` start their words together.
  return `${paint(tone, symbol.padStart(3))} ${text}`;
}

function describeAction(action: PlanAction): [string, Tone, string] {
  switch (action.kind) {
    case 'install':
      return ['+', 'add', `install ${action.name} ${action.version}${fromSource(action)}`];
    case 'upgrade':
    case 'downgrade':
      return [
        '~',
        'change',
        `${action.kind} ${action.name} ${action.from} → ${action.to}${fromSource(action)}`,
      ];
    case 'reinstall':
      return [
        '-/+',
        'change',
        `reinstall ${action.name} ${action.version}${fromSource(action)}: changed without a version bump${digests(action)}`,
      ];
    case 'uninstall':
      return ['-', 'remove', `uninstall ${action.name} ${action.version}`];
    case 'enable':
    case 'disable':
      return ['~', 'change', `${action.kind} ${action.name}`];
    case 'set-isolation':
      return [
        '~',
        'change',
        `set-isolation ${action.name} ${action.from ?? '(manifest)'} → ${action.to ?? '(manifest)'}`,
      ];
  }
}

function digests(action: ReinstallAction): string {
  if (action.fromDigest === undefined) return '';
  return ` (${shortDigest(action.fromDigest)} → ${shortDigest(action.digest)})`;
}

function fromSource(action: { readonly source?: string; readonly sourceAsWritten?: string }): string {
  const source = action.sourceAsWritten ?? action.source;
  return source === undefined ? '' : ` (from ${source})`;
}

function closingLine(plan: DesiredStatePlan, file: string): string {
  const errors = plan.problems.length;
  const fix = `Fix the ${errors === 1 ? 'error' : `${errors} errors`} above, then plan again; apply refuses this plan.`;
  if (plan.actions.length === 0) return errors > 0 ? fix : `No changes. The plugins match ${file}.`;
  const { install, change, remove } = summarizePlan(plan);
  const summary = `Plan: ${install} to install, ${change} to change, ${remove} to remove.`;
  return errors > 0 ? `${summary}\n${fix}` : summary;
}
