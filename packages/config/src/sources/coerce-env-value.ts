import type { z } from 'zod';
import { parseDuration } from '../schema/markers.js';
import { arrayElement, describeSchema, enumValues } from '../schema/schema-walk.js';
import { isPlainObject } from './plain-object.js';
import { secretInnerSchema } from './secret-inner-schema.js';

/** The outcome of {@link coerceEnvValue}: the typed value, or a description of what was expected. */
export type EnvCoercion =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly expected: string };

const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  1: true,
  0: false,
  yes: true,
  no: false,
  on: true,
  off: false,
};

/**
 * Turns the text of an environment variable into the type that `schema` expects:
 *
 * - number: `Number(text)`; empty text, `NaN` and infinities are rejected.
 * - boolean: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, in any case.
 * - duration: the text, when it reads as one (`5s`, `250ms`, `1500`); the schema converts it.
 * - string and secret: the text as it is (a secret of another type is read as that type).
 * - enum and literal: the allowed value whose text matches (so `5` can match a number literal),
 *   otherwise the text, left for schema validation to report.
 * - array: a JSON array when the text starts with `[`, otherwise comma-separated items, each
 *   trimmed and read as the element type; empty text is an empty list.
 * - object and record: a JSON object.
 * - union and anything else: JSON when the text parses as JSON, otherwise the text.
 *
 * @example
 * ```ts
 * coerceEnvValue('5000', z.number()); // { ok: true, value: 5000 }
 * coerceEnvValue('a,b', z.array(z.string())); // { ok: true, value: ['a', 'b'] }
 * ```
 */
export function coerceEnvValue(text: string, schema: z.ZodType): EnvCoercion {
  const node = describeSchema(schema);
  const trimmed = text.trim();
  switch (node.kind) {
    case 'number': {
      const value = Number(trimmed);
      return trimmed !== '' && Number.isFinite(value) ? ok(value) : fail('a number such as 5000');
    }
    case 'boolean': {
      const value = BOOLEANS[trimmed.toLowerCase()];
      return value === undefined ? fail('true or false (also 1/0, yes/no, on/off)') : ok(value);
    }
    case 'duration':
      return parseDuration(text) === undefined
        ? fail('a duration such as 250ms, 5s, 2m, 1h, 1d or 1500')
        : ok(text);
    case 'secret': {
      const inner = secretInnerSchema(node.schema);
      return inner ? coerceEnvValue(text, inner) : ok(text);
    }
    case 'enum':
    case 'literal':
      return ok(enumValues(node.schema).find((allowed) => String(allowed) === text) ?? text);
    case 'array':
      return coerceList(trimmed, arrayElement(node.schema));
    case 'object':
    case 'record': {
      const value = parseJson(trimmed);
      return isPlainObject(value) ? ok(value) : fail('a JSON object such as {"key": "value"}');
    }
    case 'union':
    case 'unknown': {
      const value = parseJson(trimmed);
      return ok(value === undefined ? text : value);
    }
    default:
      return ok(text);
  }
}

function coerceList(text: string, element: z.ZodType | undefined): EnvCoercion {
  if (text.startsWith('[')) {
    const value = parseJson(text);
    return Array.isArray(value)
      ? ok(value)
      : fail('a JSON array such as ["a", "b"], or comma-separated values');
  }
  if (text === '') return ok([]);
  const items: unknown[] = [];
  for (const item of text.split(',')) {
    const coerced = element ? coerceEnvValue(item.trim(), element) : ok(item.trim());
    if (!coerced.ok) return fail(`comma-separated values (or a JSON array), each ${coerced.expected}`);
    items.push(coerced.value);
  }
  return ok(items);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const ok = (value: unknown): EnvCoercion => ({ ok: true, value });
const fail = (expected: string): EnvCoercion => ({ ok: false, expected });
