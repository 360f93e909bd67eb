import type { z } from 'zod';
import { ManifestInvalidError, type ManifestProblem } from '../errors.js';
import { type DiscoveredManifest, PluginManifestSchema } from './manifest-schema.js';

/** Options of {@link validateManifest}. */
export interface ValidateManifestOptions {
  /**
   * Where the manifest sits inside `file`, prefixed to every problem's field: `trellis` for the
   * `trellis` field of a `package.json`. Default: the whole file.
   */
  readonly field?: string;
}

/** Result of {@link checkManifest}: the manifest, or every problem found. */
export type ManifestCheck =
  | { readonly ok: true; readonly manifest: DiscoveredManifest }
  | { readonly ok: false; readonly problems: readonly ManifestProblem[] };

const KNOWN_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['', Object.keys(PluginManifestSchema.shape)],
  ['health', Object.keys(PluginManifestSchema.shape.health.unwrap().shape)],
]);

/**
 * Validates a parsed manifest against {@link PluginManifestSchema} and applies its defaults.
 *
 * @param value The parsed JSON: the content of `trellis.plugin.json`, or a `package.json`'s
 *   `trellis` field.
 * @param file The manifest file, named in every problem.
 * @throws {@link ManifestInvalidError} listing every problem, each with its field path and a
 *   message saying what was expected and what was found.
 * @example
 * ```ts
 * validateManifest({ name: 'billing', version: 'one', platform: '^0.1.0' }, 'trellis.plugin.json');
 * // ManifestInvalidError: ... "version": expected a semver version like "1.2.0", got "one"
 * ```
 */
export function validateManifest(
  value: unknown,
  file: string,
  options: ValidateManifestOptions = {},
): DiscoveredManifest {
  const check = checkManifest(value);
  if (check.ok) return check.manifest;
  const prefix = options.field ?? '';
  throw new ManifestInvalidError(
    file,
    check.problems.map((problem) => ({ ...problem, field: joinField(prefix, problem.field) })),
  );
}

/**
 * Validates a parsed manifest without throwing; the problems' fields are relative to the manifest.
 * {@link validateManifest} is the throwing form.
 */
export function checkManifest(value: unknown): ManifestCheck {
  const result = PluginManifestSchema.safeParse(value);
  if (result.success) return { ok: true, manifest: result.data };
  const problems = new Map<string, ManifestProblem>();
  for (const problem of result.error.issues.flatMap((issue) => toProblems(issue, []))) {
    // A value can fail several checks of one field (too long and a bad pattern) with one message.
    problems.set(`${problem.field}\0${problem.message}`, problem);
  }
  return { ok: false, problems: [...problems.values()] };
}

/** `prefix.field`, or whichever of the two is not empty. */
export function joinField(prefix: string, field: string): string {
  if (prefix === '') return field;
  if (field === '') return prefix;
  return field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`;
}

function toProblems(issue: z.core.$ZodIssue, base: readonly PropertyKey[]): ManifestProblem[] {
  const path = [...base, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const known = KNOWN_FIELDS.get(fieldPath(path)) ?? [];
    return issue.keys.map((key) => ({
      field: fieldPath([...path, key]),
      message: unknownFieldMessage(key, known),
    }));
  }
  if (issue.code === 'invalid_union') {
    // A union reports only "no option matched". When exactly one option accepted the value's type
    // (an array of activation events), its own problems say precisely which element is wrong.
    const matched = issue.errors.filter(
      (branch) =>
        !branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')),
    );
    const [only] = matched;
    if (only !== undefined && matched.length === 1) return only.flatMap((inner) => toProblems(inner, path));
  }
  return [{ field: fieldPath(path), message: issue.message }];
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (field, key) => (typeof key === 'number' ? `${field}[${key}]` : joinField(field, String(key))),
    '',
  );
}

function unknownFieldMessage(key: string, known: readonly string[]): string {
  const near = known.find((field) => isNearMiss(key, field));
  const hint = near === undefined ? '' : ` Did you mean "${near}"?`;
  return `unknown field; remove it or use one of: ${known.join(', ')}.${hint}`;
}

/** True when `a` is `b` in another case, or at most two edits away (typos like `verison`). */
function isNearMiss(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (Math.abs(x.length - y.length) > 2) return false;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return (previous[y.length] ?? Number.POSITIVE_INFINITY) <= 2;
}
