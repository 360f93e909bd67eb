import { isPlainObject } from '../sources/plain-object.js';

/** Computes the replacement of one leaf value from the value and its dotted config path. */
export type LeafReplacer = (value: unknown, path: string) => unknown;

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/**
 * A copy of `value` with every leaf replaced by `replace(leaf, path)`. Plain objects and arrays
 * are copied (array indices are path segments: `servers.0.password`); everything else, class
 * instances included, is a leaf. The input is never changed.
 */
export function mapLeaves(value: unknown, replace: LeafReplacer, path = ''): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => mapLeaves(item, replace, join(path, String(index))));
  if (isPlainObject(value)) return mapRecordLeaves(value, replace, path);
  return replace(value, path);
}

/** {@link mapLeaves} for an object at the root (or at `path`), typed as one. */
export function mapRecordLeaves(
  values: Readonly<Record<string, unknown>>,
  replace: LeafReplacer,
  path = '',
): Record<string, unknown> {
  // fromEntries defines own properties, so a "__proto__" key stays a key and never a prototype.
  return Object.fromEntries(
    Object.entries(values).map(([key, child]) => [key, mapLeaves(child, replace, join(path, key))]),
  );
}
