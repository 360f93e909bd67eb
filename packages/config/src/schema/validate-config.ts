import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { formatOrigin, type Origin } from '../sources/origin.js';
import type { ConfigProblem } from './config-problem.js';
import { isSecretPath, objectKeys, schemaAt, touchesSecret } from './schema-walk.js';
import { REDACTED_TEXT } from './secret-value.js';

/** What {@link validateConfig} returns. */
export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** Inputs of {@link validateConfig}. */
export interface ValidateConfigInput {
  readonly schema: z.ZodType;
  /** The merged values of every layer. */
  readonly values: unknown;
  /** Leaf path → origin, from the merge. */
  readonly origins: ReadonlyMap<string, Origin>;
  /** Secret path patterns of the schema (`secretPaths(schema)`). */
  readonly secretPatterns: readonly string[];
}

/**
 * Validates merged config values, reporting every problem at once. Each problem names the path,
 * what was expected, what was received (redacted under secret paths) and where the value came
 * from; unknown keys get a "did you mean" suggestion from the schema's keys at that level.
 */
export function validateConfig<T>(input: ValidateConfigInput): ValidationResult<T> {
  const parsed = input.schema.safeParse(input.values);
  if (parsed.success) return { ok: true, value: parsed.data as T };
  const problems: ConfigProblem[] = [];
  for (const issue of parsed.error.issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...base, key].join('.');
        problems.push({
          path,
          message: `unknown setting${suggest(input.schema, base.join('.'), key)}`,
          origin: originOf(input.origins, path),
        });
      }
      continue;
    }
    const path = base.join('.');
    problems.push({
      path,
      message: describeIssue(
        issue,
        readPath(input.values, base),
        touchesSecret(input.secretPatterns, path),
        isSecretPath(input.secretPatterns, path),
      ),
      origin: originOf(input.origins, path),
    });
  }
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: false, problems };
}

function suggest(schema: z.ZodType, parent: string, key: string): string {
  const at = schemaAt(schema, parent);
  const keys = at ? (objectKeys(at) ?? []) : [];
  if (keys.length === 0) return '';
  const best = closest(key, [...keys]);
  const limit = Math.max(2, Math.floor(key.length / 3));
  if (distance(key.toLowerCase(), best.toLowerCase()) > limit)
    return `; known settings here: ${keys.join(', ')}`;
  return `; did you mean "${parent ? `${parent}.` : ''}${best}"?`;
}

/**
 * @param hidden the value is, holds or lies under a secret: show `[redacted]` for it.
 * @param secret the value is exactly a secret: also drop zod's own wording, which may quote it.
 */
function describeIssue(issue: z.core.$ZodIssue, received: unknown, hidden: boolean, secret: boolean): string {
  const shown = hidden ? REDACTED_TEXT : show(received);
  switch (issue.code) {
    case 'invalid_type':
      return received === undefined
        ? `required ${issue.expected} is missing`
        : `expected ${issue.expected}, received ${shown}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, received ${shown}`;
    case 'too_small':
    case 'too_big':
      return `${lowerFirst(secret ? issue.message.replace(/received .*/i, '') : issue.message)}, received ${shown}`;
    default:
      // zod's own message names the expectation; never let it echo a secret.
      return `${lowerFirst(secret ? 'invalid value' : issue.message)}, received ${shown}`;
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function readPath(values: unknown, path: readonly string[]): unknown {
  let current = values;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The origin of `path`: its own, the nearest ancestor's (a replaced subtree), or "not set". */
function originOf(origins: ReadonlyMap<string, Origin>, path: string): string {
  const own = origins.get(path);
  if (own) return formatOrigin(own);
  const segments = path.split('.');
  for (let i = segments.length - 1; i > 0; i--) {
    const ancestor = origins.get(segments.slice(0, i).join('.'));
    if (ancestor) return formatOrigin(ancestor);
  }
  const prefix = `${path}.`;
  for (const [leaf, origin] of origins) if (leaf.startsWith(prefix)) return formatOrigin(origin);
  return 'not set in any layer';
}
