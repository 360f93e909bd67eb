import type { z } from 'zod';

/**
 * Parses `input` (`undefined` reads as `{}`) with `schema`, or throws the error `fail` builds from
 * every issue as `path: message` — one shape of config error message for the whole package.
 */
export function parseWithSchema<S extends z.ZodType>(
  schema: S,
  input: unknown,
  fail: (problems: readonly string[]) => Error,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw fail(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
}
