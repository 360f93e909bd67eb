import { TrellisError } from '@trellis/core';
import type { PlanProblem } from './desired-state-plan.js';

/**
 * Every error code the desired-state operations raise (`trellis plugins plan` / `apply`); each is
 * documented in `docs/errors.md`.
 */
export const DESIRED_STATE_ERROR_CODES = [
  'PLUGIN_DESIRED_STATE_INVALID',
  'PLUGIN_DESIRED_SOURCE_UNREADABLE',
  'PLUGIN_PLAN_HAS_PROBLEMS',
] as const;

/** A code from {@link DESIRED_STATE_ERROR_CODES}. */
export type DesiredStateErrorCode = (typeof DESIRED_STATE_ERROR_CODES)[number];

/** One invalid spot of a desired-state file. */
export interface DesiredStateProblem {
  /** The file as the caller named it. */
  readonly file: string;
  /** 1-based position of the offending key (or value), when the file could be parsed that far. */
  readonly line?: number;
  readonly column?: number;
  /** Dotted field path such as `plugins.weather.version`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** `file:line:column path: message`, the form editors and terminals turn into links. */
export function formatDesiredStateProblem(problem: DesiredStateProblem): string {
  const at =
    problem.line === undefined
      ? problem.file
      : `${problem.file}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  return problem.path === '' ? `${at} ${problem.message}` : `${at} ${problem.path}: ${problem.message}`;
}

/** A desired-state file is unreadable, malformed YAML, or has invalid fields (all listed). */
export class DesiredStateInvalidError extends TrellisError {
  /** Every problem found, in file order. */
  readonly problems: readonly DesiredStateProblem[];

  constructor(file: string, problems: readonly DesiredStateProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      'PLUGIN_DESIRED_STATE_INVALID',
      `Invalid desired state ${file} (${count}):\n  - ${problems.map(formatDesiredStateProblem).join('\n  - ')}`,
      {
        fix: 'Correct each listed field. A plugin entry takes "source" and/or "version", and optionally "enabled" and "isolation".',
        details: { file, problems },
      },
    );
    this.problems = problems;
  }
}

/** A source failed to read, and which desired plugins point at it. */
export interface DesiredSourceFailure {
  /** The resolved source path. */
  readonly source: string;
  /** Names of the desired plugins that use this source. */
  readonly plugins: readonly string[];
  readonly error: unknown;
}

/** One or more desired sources (plugin folders or `.tgz` files) could not be read; all are listed. */
export class DesiredSourceUnreadableError extends TrellisError {
  /** Every source that failed, sorted by path. */
  readonly failures: readonly DesiredSourceFailure[];

  constructor(failures: readonly DesiredSourceFailure[]) {
    const lines = failures.map(
      ({ source, plugins, error }) => `${source} (for ${plugins.join(', ')}): ${messageOf(error)}`,
    );
    super('PLUGIN_DESIRED_SOURCE_UNREADABLE', `Cannot read plugin sources:\n  - ${lines.join('\n  - ')}`, {
      fix: 'Check that each source path exists (relative paths start at the folder of trellis.plugins.yaml) and holds a valid plugin manifest.',
      details: { sources: failures.map(({ source, plugins }) => ({ source, plugins })) },
      cause: failures[0]?.error,
    });
    this.failures = failures;
  }
}

/**
 * `applyPlan` was given a plan with problems. Refused as a whole, before any action runs: a
 * half-applied plan whose end state is known to be broken is worse than no change.
 */
export class PlanHasProblemsError extends TrellisError {
  /** The problems of the refused plan. */
  readonly problems: readonly PlanProblem[];

  constructor(problems: readonly PlanProblem[]) {
    const lines = problems.map((problem) =>
      problem.location === undefined ? problem.message : `${problem.location} ${problem.message}`,
    );
    super('PLUGIN_PLAN_HAS_PROBLEMS', `The plan cannot be applied:\n  - ${lines.join('\n  - ')}`, {
      fix: 'Fix each problem in trellis.plugins.yaml (or the plugin sources), plan again, then apply.',
      details: { problems },
    });
    this.problems = problems;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
