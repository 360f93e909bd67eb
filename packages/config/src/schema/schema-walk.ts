import type { z } from 'zod';
import { isDurationSchema, isolatedInner, isSecretSchema } from './markers.js';

/** What kind of value a schema node expects, after unwrapping optional/default/nullable. */
export type SchemaKind =
  | 'object'
  | 'record'
  | 'array'
  | 'string'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'literal'
  | 'duration'
  | 'secret'
  | 'union'
  | 'unknown';

/** A schema node with wrappers removed, and what it expects. */
export interface SchemaNode {
  readonly kind: SchemaKind;
  readonly schema: z.ZodType;
  /** Whether the value may be left out (optional or defaulted). */
  readonly optional: boolean;
}

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly entries?: Readonly<Record<string, string | number>>;
  readonly values?: readonly unknown[];
}

const def = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** Removes optional/default/nullable/readonly wrappers and reports what is underneath. */
export function describeSchema(schema: z.ZodType): SchemaNode {
  let current = schema;
  let optional = false;
  for (;;) {
    if (isSecretSchema(current)) return { kind: 'secret', schema: current, optional };
    if (isDurationSchema(current)) return { kind: 'duration', schema: current, optional };
    const isolated = isolatedInner(current);
    if (isolated) {
      optional = true; // an absent section is validated as {}
      current = isolated;
      continue;
    }
    const d = def(current);
    if (WRAPPERS.has(d.type) && d.innerType) {
      if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault') optional = true;
      if (d.type === 'nonoptional') optional = false;
      current = d.innerType;
    } else if (d.type === 'pipe' && d.in) {
      current = d.in;
    } else {
      return { kind: kindOf(d.type), schema: current, optional };
    }
  }
}

function kindOf(type: string): SchemaKind {
  switch (type) {
    case 'object':
    case 'record':
    case 'array':
    case 'string':
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
    case 'union':
      return type;
    case 'int':
      return 'number';
    default:
      return 'unknown';
  }
}

/** The keys of an object schema (after unwrapping), or undefined for any other kind. */
export function objectKeys(schema: z.ZodType): readonly string[] | undefined {
  const node = describeSchema(schema);
  return node.kind === 'object' ? Object.keys(def(node.schema).shape ?? {}) : undefined;
}

/** The schema of one child: an object's key, a record's value or an array's element. */
export function childSchema(schema: z.ZodType, key: string): z.ZodType | undefined {
  const node = describeSchema(schema);
  const d = def(node.schema);
  if (node.kind === 'object') return d.shape?.[key];
  if (node.kind === 'record') return d.valueType;
  if (node.kind === 'array') return /^\d+$/.test(key) ? d.element : undefined;
  return undefined;
}

/** The schema at a dotted path (`cache.ttlMs`), or undefined when the path is not in the schema. */
export function schemaAt(root: z.ZodType, path: string): z.ZodType | undefined {
  if (path === '') return root;
  let current: z.ZodType | undefined = root;
  for (const key of path.split('.')) {
    if (!current) return undefined;
    current = childSchema(current, key);
  }
  return current;
}

/** The element schema of an array schema. */
export function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  const node = describeSchema(schema);
  return node.kind === 'array' ? def(node.schema).element : undefined;
}

/** Allowed values of an enum or literal schema. */
export function enumValues(schema: z.ZodType): readonly unknown[] {
  const d = def(describeSchema(schema).schema);
  if (d.type === 'enum') return Object.values(d.entries ?? {});
  if (d.type === 'literal') return d.values ?? [];
  return [];
}

/**
 * Every path under `root` whose schema is a secret. Records and arrays contribute `*` segments
 * (`tenants.*.apiKey`); use {@link pathMatches} to test a concrete path against them.
 */
export function secretPaths(root: z.ZodType): readonly string[] {
  const found: string[] = [];
  const visit = (schema: z.ZodType, path: string, depth: number) => {
    if (depth > 32) return; // recursive (lazy) schemas end here
    const node = describeSchema(schema);
    if (node.kind === 'secret') {
      found.push(path);
      return;
    }
    const d = def(node.schema);
    const join = (key: string) => (path ? `${path}.${key}` : key);
    if (node.kind === 'object')
      for (const [key, child] of Object.entries(d.shape ?? {})) visit(child, join(key), depth + 1);
    else if (node.kind === 'record' && d.valueType) visit(d.valueType, join('*'), depth + 1);
    else if (node.kind === 'array' && d.element) visit(d.element, join('*'), depth + 1);
    else if (node.kind === 'union') for (const option of d.options ?? []) visit(option, path, depth + 1);
  };
  visit(root, '', 0);
  return [...new Set(found)];
}

/** True when dotted `path` matches `pattern`, where a `*` segment matches any one segment. */
export function pathMatches(pattern: string, path: string): boolean {
  const a = pattern.split('.');
  const b = path.split('.');
  return a.length === b.length && a.every((segment, i) => segment === '*' || segment === b[i]);
}

/** True when `path` is, or lies under, one of the secret path patterns (see {@link secretPaths}). */
export function isSecretPath(secretPatterns: readonly string[], path: string): boolean {
  const segments = path.split('.');
  return secretPatterns.some((pattern) => {
    const length = pattern.split('.').length;
    return segments.length >= length && pathMatches(pattern, segments.slice(0, length).join('.'));
  });
}

/**
 * True when `path` is a secret, lies under one, or holds one (a secret pattern lies under it):
 * a value at such a path must never be shown, because printing it would print the secret.
 */
export function touchesSecret(secretPatterns: readonly string[], path: string): boolean {
  if (isSecretPath(secretPatterns, path)) return true;
  const segments = path === '' ? [] : path.split('.');
  return secretPatterns.some((pattern) => {
    const parts = pattern.split('.');
    return (
      parts.length > segments.length &&
      segments.every((segment, i) => parts[i] === '*' || parts[i] === segment)
    );
  });
}
