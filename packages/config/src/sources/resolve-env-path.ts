import { z } from 'zod';
import {
  childSchema,
  describeSchema,
  enumValues,
  objectKeys,
  type SchemaKind,
  type SchemaNode,
} from '../schema/schema-walk.js';
import { didYouMean } from './did-you-mean.js';
import { envNameForPath, envSegment, normalizeName } from './env-names.js';
import { getOwn, isPlainObject } from './plain-object.js';
import { secretInnerSchema } from './secret-inner-schema.js';

/** Where an environment variable points in the schema, or why it points nowhere. */
export type EnvPathResolution =
  | {
      readonly ok: true;
      /** Dotted config path, e.g. `cache.ttlMs`. */
      readonly path: string;
      /** The schema of the value at `path` (a secret's inner schema when the path is under one). */
      readonly schema: z.ZodType;
      /** True when the path is a secret or lies inside one: its value must never be shown. */
      readonly secret: boolean;
    }
  | {
      readonly ok: false;
      /** The path as far as it could be followed, plus the segment that matched nothing. */
      readonly path: string;
      /** Why the variable matches no setting, with a suggestion when one is close. */
      readonly message: string;
    };

/** What {@link resolveEnvPath} needs besides the variable and the schema. */
export interface ResolveEnvPathOptions {
  /** The variable prefix, e.g. `TRELLIS_`. */
  readonly prefix: string;
  /** Values of the layers below, so record keys can match the spelling the files already use. */
  readonly lowerValues?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Follows the `__`-separated segments after the prefix of `variable` through `schema`:
 *
 * - object: the key whose normalized form (lower case, no `_` or `-`) equals the segment's, so
 *   `TTL_MS` finds `ttlMs` and `CACHE` finds `cache`;
 * - record: a key the layers below already have with the same normalized form; otherwise the
 *   first of the segment in kebab case (`MY_PLUGIN` → `my-plugin`), in lower case
 *   (`my_plugin`), or as written, that the record's key schema accepts;
 * - array: a number is an index (`SERVERS__0__PORT`);
 * - a secret is followed into the schema it wraps, and marks everything under it secret.
 *
 * A segment that matches nothing gives a problem message naming the variable, with a "did you
 * mean" suggestion: the same name with `__` in place of a single `_` when that names a setting
 * (`TRELLIS_SHUTDOWN_TIMEOUT_MS` → `TRELLIS_SHUTDOWN__TIMEOUT_MS`), otherwise a sibling setting a
 * few edits away.
 */
export function resolveEnvPath(
  variable: string,
  schema: z.ZodType,
  options: ResolveEnvPathOptions,
): EnvPathResolution {
  const result = follow(variable, schema, options);
  if (result.ok) return result;
  const split = splitSuggestion(variable, schema, options);
  return split === undefined
    ? result
    : {
        ...result,
        message: `unknown setting from ${variable}; did you mean ${split}? (levels are separated by "__")`,
      };
}

/**
 * The first variable made by turning one `_` after the prefix into `__` that names a setting, for
 * the common slip of writing `SHUTDOWN_TIMEOUT_MS` for `SHUTDOWN__TIMEOUT_MS`.
 */
function splitSuggestion(
  variable: string,
  schema: z.ZodType,
  options: ResolveEnvPathOptions,
): string | undefined {
  const rest = variable.slice(options.prefix.length);
  for (let i = rest.indexOf('_'); i !== -1; i = rest.indexOf('_', i + 2)) {
    if (rest[i + 1] === '_' || rest[i - 1] === '_') continue;
    const candidate = `${options.prefix}${rest.slice(0, i)}__${rest.slice(i + 1)}`;
    if (follow(candidate, schema, options).ok) return candidate;
  }
  return undefined;
}

function follow(variable: string, schema: z.ZodType, options: ResolveEnvPathOptions): EnvPathResolution {
  const path: string[] = [];
  let current = schema;
  let secret = false;
  let below: unknown = options.lowerValues;

  for (const segment of variable.slice(options.prefix.length).split('__')) {
    let node = describeSchema(current);
    if (node.kind === 'secret') {
      secret = true;
      node = describeSchema(secretInnerSchema(node.schema) ?? node.schema);
    }
    const match: KeyMatch =
      segment === ''
        ? { detail: 'a segment between "__" separators is empty' }
        : matchKey(node, segment, below, {
            where: path.length === 0 ? 'the top level' : `"${path.join('.')}"`,
            here: envNameForPath(options.prefix, path.join('.')),
            child: (key) => envNameForPath(options.prefix, [...path, key].join('.')),
          });
    if ('detail' in match) {
      return {
        ok: false,
        path: [...path, segment].join('.'),
        message: `unknown setting from ${variable}; ${match.detail}`,
      };
    }
    path.push(match.key);
    current = childSchema(node.schema, match.key) as z.ZodType;
    below = isPlainObject(below)
      ? getOwn(below, match.key)
      : Array.isArray(below)
        ? below[Number(match.key)]
        : undefined;
  }
  const last = describeSchema(current);
  if (last.kind === 'secret') secret = true;
  return { ok: true, path: path.join('.'), schema: current, secret };
}

/** The key a segment names, or why it names none. */
type KeyMatch = { readonly key: string } | { readonly detail: string };

/** Names around the segment being matched, for messages. */
interface EnvNames {
  /** The path matched so far, quoted, for messages (`"cache"`, or `the top level`). */
  readonly where: string;
  /** The variable for the path matched so far. */
  readonly here: string;
  /** The variable for a child of that path. */
  readonly child: (key: string) => string;
}

function matchKey(node: SchemaNode, segment: string, below: unknown, names: EnvNames): KeyMatch {
  const wanted = normalizeName(segment);
  if (node.kind === 'object') {
    const keys = objectKeys(node.schema) ?? [];
    const found =
      keys.find((key) => envSegment(key) === segment) ?? keys.find((key) => normalizeName(key) === wanted);
    return found === undefined ? noMatch(wanted, keys, names.child) : { key: found };
  }
  if (node.kind === 'record') {
    const existing = isPlainObject(below) ? Object.keys(below) : [];
    const known = existing.find((key) => normalizeName(key) === wanted);
    if (known !== undefined) return { key: known };
    const keyType = (node.schema instanceof z.ZodRecord ? node.schema.keyType : z.string()) as z.ZodType;
    const lower = segment.toLowerCase();
    const accepted = [lower.replace(/_/g, '-'), lower, segment].find((key) => keyType.safeParse(key).success);
    if (accepted !== undefined) return { key: accepted };
    return noMatch(wanted, [...existing, ...enumValues(keyType).map(String)], names.child);
  }
  if (node.kind === 'array') {
    if (/^\d+$/.test(segment)) return { key: String(Number(segment)) };
    return { detail: `${names.where} is a list; name an item by its index, such as ${names.child('0')}` };
  }
  const inside = `${names.where} is ${describeKind(node.kind)}, which has no settings inside it`;
  return {
    detail:
      node.kind === 'union' || node.kind === 'unknown'
        ? `${inside}; set ${names.here} to JSON instead`
        : inside,
  };
}

function noMatch(wanted: string, keys: readonly string[], envName: (key: string) => string): KeyMatch {
  const suggestion = didYouMean(wanted, keys.map(normalizeName));
  const similar = keys.find((key) => normalizeName(key) === suggestion);
  if (similar !== undefined) return { detail: `did you mean ${envName(similar)}?` };
  if (keys.length === 0) return { detail: 'nothing can be set here' };
  const list = keys.slice(0, 8).map(envName).join(', ');
  return { detail: `expected one of ${list}${keys.length > 8 ? ', ...' : ''}` };
}

const KIND_LABELS: Readonly<Partial<Record<SchemaKind, string>>> = {
  enum: 'a choice of values',
  literal: 'a fixed value',
  union: 'a choice of types',
  unknown: 'a free-form value',
};

function describeKind(kind: SchemaKind): string {
  return KIND_LABELS[kind] ?? `a ${kind}`;
}
