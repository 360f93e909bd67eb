import type { ConfigProblem } from '../schema/config-problem.js';
import { REDACTED_TEXT } from '../schema/secret-value.js';

/**
 * True when dotted `path` is at, under or above one of `paths` (a `*` segment in them matches any
 * one segment), so a value shown at `path` could contain a secret. The root (`''`) touches every
 * path.
 *
 * @example
 * ```ts
 * touchesAny(['db.password'], 'db'); // true: the object holds the password
 * touchesAny(['tokens.*'], 'tokens'); // true: the list holds secrets
 * touchesAny(['db.password'], 'db.pool'); // false
 * ```
 */
export function touchesAny(paths: readonly string[], path: string): boolean {
  const segments = path === '' ? [] : path.split('.');
  return paths.some((pattern) => {
    const parts = pattern.split('.');
    const shared = Math.min(parts.length, segments.length);
    for (let i = 0; i < shared; i++) if (parts[i] !== '*' && parts[i] !== segments[i]) return false;
    return true;
  });
}

const RECEIVED = /, received [\s\S]*$/;

/**
 * Problems with the received value removed from the message wherever the problem's path could hold
 * a secret ({@link touchesAny}). Validation redacts values at secret paths but shows the whole
 * received value of an object or list, which holds decrypted secrets when they lie under it.
 */
export function scrubProblems(problems: readonly ConfigProblem[], paths: readonly string[]): ConfigProblem[] {
  return problems.map((problem) =>
    touchesAny(paths, problem.path) && RECEIVED.test(problem.message)
      ? { ...problem, message: problem.message.replace(RECEIVED, `, received ${REDACTED_TEXT}`) }
      : problem,
  );
}
