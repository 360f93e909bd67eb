import { TrellisError } from '@trellis/core';

/** Every error code the supervisors raise; merge into the package's list and `docs/errors.md`. */
export const SUPERVISOR_ERROR_CODES = [
  'SUPERVISOR_CONFIG_INVALID',
  'SUPERVISOR_CHILD_DUPLICATE',
  'SUPERVISOR_CHILD_UNKNOWN',
  'SUPERVISOR_STATE',
  'SUPERVISOR_START_FAILED',
  'SUPERVISOR_STOP_FAILED',
] as const;

/** A code from {@link SUPERVISOR_ERROR_CODES}. */
export type SupervisorErrorCode = (typeof SUPERVISOR_ERROR_CODES)[number];

/** Supervisor options that do not match their schema; `issues` lists each problem. */
export class SupervisorConfigInvalidError extends TrellisError {
  constructor(what: string, issues: readonly string[]) {
    super(
      'SUPERVISOR_CONFIG_INVALID',
      `Invalid ${what} options:\n${issues.map((i) => `  - ${i}`).join('\n')}`,
      {
        fix: `Correct the listed ${what} options; every field, its default and its range are documented on the schema.`,
        details: { what, issues },
      },
    );
  }
}

/** Two children of one supervisor share a name, so failures could not be told apart. */
export class SupervisorChildDuplicateError extends TrellisError {
  constructor(supervisor: string, child: string) {
    super('SUPERVISOR_CHILD_DUPLICATE', `Supervisor "${supervisor}" has two children named "${child}".`, {
      fix: 'Give every child of a supervisor a unique name.',
      details: { supervisor, child },
    });
  }
}

/** A failure was reported, or a revive asked, for a child the supervisor does not have. */
export class SupervisorChildUnknownError extends TrellisError {
  constructor(supervisor: string, child: string, known: readonly string[]) {
    super('SUPERVISOR_CHILD_UNKNOWN', `Supervisor "${supervisor}" has no child named "${child}".`, {
      fix: `Use one of the supervisor's children: ${known.join(', ') || '(none)'}.`,
      details: { supervisor, child, known },
    });
  }
}

/** An operation the supervisor cannot do in its current state (start twice, revive after stop). */
export class SupervisorStateError extends TrellisError {
  constructor(supervisor: string, operation: string, state: string) {
    super('SUPERVISOR_STATE', `Supervisor "${supervisor}" cannot ${operation} while it is ${state}.`, {
      fix: 'Create a new supervisor rather than reusing a stopped one, and start it once before use.',
      details: { supervisor, operation, state },
    });
  }
}

/** A child failed to start while the supervisor started; the children started before were stopped. */
export class SupervisorStartFailedError extends TrellisError {
  constructor(supervisor: string, child: string, cause: unknown) {
    super('SUPERVISOR_START_FAILED', `Supervisor "${supervisor}" could not start child "${child}".`, {
      fix: `Fix the error in "${child}".start() (the cause holds it); a supervisor only restarts children that started once.`,
      details: { supervisor, child },
      cause,
    });
  }
}

/** Children failed to stop; every child was still asked to stop. */
export class SupervisorStopFailedError extends TrellisError {
  constructor(supervisor: string, failures: readonly { readonly child: string; readonly message: string }[]) {
    super(
      'SUPERVISOR_STOP_FAILED',
      `Supervisor "${supervisor}" stopped, but ${failures.length} child(ren) failed to stop:\n${failures
        .map((f) => `  - ${f.child}: ${f.message}`)
        .join('\n')}`,
      {
        fix: 'Make each listed child release its resources in stop() without throwing.',
        details: { supervisor, failures },
      },
    );
  }
}
