import { z } from 'zod';
import { Secret } from './secret-value.js';

// Schemas are marked in WeakSets (not by wrapping) so `.optional()`, `.default()` and friends
// keep working on them; the schema walker unwraps those and finds the mark underneath.
// secret schema → the schema of the value it wraps.
const secretSchemas = new WeakMap<z.ZodType, z.ZodType>();
const durationSchemas = new WeakSet<z.ZodType>();
// isolated section schema → the schema of its value (see composeConfigSchema's isolatePlugins).
const isolatedSchemas = new WeakMap<z.ZodType, z.ZodType>();

/** Records that `wrapper` validates its value with `inner` but reports problems as a value. */
export function markIsolated(wrapper: z.ZodType, inner: z.ZodType): z.ZodType {
  isolatedSchemas.set(wrapper, inner);
  return wrapper;
}

/** The schema inside an isolated section, or undefined when `schema` is not one. */
export function isolatedInner(schema: z.ZodType): z.ZodType | undefined {
  return isolatedSchemas.get(schema);
}

/**
 * Marks a config field as secret: its value is stored encrypted in files, arrives decrypted, and
 * is typed as {@link Secret} so it is redacted everywhere it could be printed.
 *
 * @example
 * ```ts
 * const schema = z.object({ db: z.object({ password: secret() }) });
 * config.value.db.password.reveal(); // the string
 * ```
 */
export function secret<T extends z.ZodType = z.ZodString>(inner?: T): z.ZodType<Secret<z.output<T>>> {
  const base = (inner ?? z.string()) as T;
  // A Secret given as input is unwrapped and validated like a plain value, then wrapped again.
  const schema = z
    .preprocess((value) => (value instanceof Secret ? value.reveal() : value), base)
    .transform((value) => new Secret(value as z.output<T>));
  secretSchemas.set(schema, base);
  return schema as unknown as z.ZodType<Secret<z.output<T>>>;
}

/** The schema a {@link secret} field wraps, or undefined when `schema` is not a secret. */
export function secretInner(schema: z.ZodType): z.ZodType | undefined {
  return secretSchemas.get(schema);
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

/** Parses `'250ms'`, `'5s'`, `'2m'`, `'1.5h'`, `'1d'` (or a plain number of ms) into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number.isFinite(Number(trimmed)) ? Number(trimmed) : undefined;
  const match = DURATION.exec(trimmed);
  if (!match) return undefined;
  const ms = Math.round(Number(match[1]) * (UNITS[match[2] as string] as number));
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * A duration in milliseconds that also accepts `'5s'`, `'250ms'`, `'2m'`, `'1h'`, `'1d'`, in
 * files and in environment variables.
 */
export function duration(): z.ZodType<number, number | string> {
  const schema = z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration like "5s", "250ms" or "2m", received "${value}"`,
      });
      return z.NEVER;
    }
    return ms;
  });
  durationSchemas.add(schema);
  return schema;
}

/** True when `schema` was made by {@link secret}. */
export function isSecretSchema(schema: z.ZodType): boolean {
  return secretSchemas.has(schema);
}

/** True when `schema` was made by {@link duration}. */
export function isDurationSchema(schema: z.ZodType): boolean {
  return durationSchemas.has(schema);
}
