import type { LayerValues, Origin } from './origin.js';
import { getOwn, isPlainObject, setOwn } from './plain-object.js';

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
const INDEX = /^\d+$/;

/**
 * Deep-merges layers given lowest precedence first: a later layer wins. Plain objects merge key by
 * key; arrays and scalars replace what is below them, and the origins of the replaced subtree go
 * with it (a later scalar at `a` removes the origins of `a.*`). `undefined` values are ignored.
 *
 * One exception serves environment variables that address a list element
 * (`TRELLIS_SERVERS__0__PORT`): a plain object whose keys are all array indexes, laid over an
 * array, updates those elements of a copy of the array instead of replacing it.
 *
 * Inputs are never mutated; the result shares no objects or arrays with them.
 *
 * @example
 * ```ts
 * const { values, origins } = mergeLayers([defaults, fileLayer, envLayer]);
 * ```
 */
export function mergeLayers(layers: readonly LayerValues[]): LayerValues {
  let values: Record<string, unknown> = {};
  const origins = new Map<string, Origin>();
  for (const layer of layers) {
    values = mergeObjects(values, layer.values, '', { from: layer.origins, into: origins });
  }
  return { values, origins };
}

/**
 * Every leaf of `values` by dotted path. Arrays, empty objects, scalars and non-plain objects
 * (such as `Secret`) are leaves; `undefined` values are skipped.
 */
export function flattenLeaves(values: Readonly<Record<string, unknown>>): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  const visit = (value: unknown, path: string) => {
    if (value === undefined) return;
    if (isPlainObject(value) && (path === '' || Object.keys(value).length > 0)) {
      for (const [key, child] of Object.entries(value)) visit(child, join(path, key));
    } else {
      leaves.set(path, value);
    }
  };
  visit(values, '');
  return leaves;
}

/**
 * A copy of `values` with `value` at dotted `path`. Missing or non-object parents become objects;
 * a numeric segment under an array sets that element of a copy of the array.
 *
 * @example
 * ```ts
 * setPath({ cache: { ttlMs: 1 } }, 'cache.ttlMs', 5000); // { cache: { ttlMs: 5000 } }
 * ```
 */
export function setPath(
  values: Readonly<Record<string, unknown>>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  return setIn(values, path.split('.'), value) as Record<string, unknown>;
}

function setIn(container: unknown, segments: readonly string[], value: unknown): unknown {
  const [head, ...rest] = segments;
  if (head === undefined) return value;
  if (Array.isArray(container) && INDEX.test(head)) {
    const copy: unknown[] = [...container];
    copy[Number(head)] = setIn(copy[Number(head)], rest, value);
    return copy;
  }
  const base = isPlainObject(container) ? container : {};
  const copy = copyObject(base);
  setOwn(copy, head, setIn(getOwn(base, head), rest, value));
  return copy;
}

interface OriginSets {
  /** Origins of the layer being merged in. */
  readonly from: ReadonlyMap<string, Origin>;
  /** Origins of the result so far; updated in place. */
  readonly into: Map<string, Origin>;
}

function mergeObjects(
  lower: Readonly<Record<string, unknown>>,
  higher: Readonly<Record<string, unknown>>,
  path: string,
  origins: OriginSets,
): Record<string, unknown> {
  const result = copyObject(lower);
  for (const [key, value] of Object.entries(higher)) {
    if (value === undefined) continue;
    setOwn(result, key, mergeValue(getOwn(result, key), value, join(path, key), origins));
  }
  return result;
}

function mergeValue(lower: unknown, higher: unknown, path: string, origins: OriginSets): unknown {
  // An object laid on nothing merges into an empty object, so its leaves take their origins by key.
  if (lower === undefined && isPlainObject(higher)) return mergeValue({}, higher, path, origins);
  if (isPlainObject(lower) && isPlainObject(higher)) {
    const merged = mergeObjects(lower, higher, path, origins);
    // An empty object is a leaf with its own origin; once it has keys, its leaves carry them.
    const own = origins.from.get(path);
    if (Object.keys(merged).length > 0) origins.into.delete(path);
    else if (own) origins.into.set(path, own);
    return merged;
  }
  if (Array.isArray(lower) && isIndexObject(higher)) {
    const merged: unknown[] = lower.map(clone);
    for (const [key, value] of Object.entries(higher)) {
      if (value === undefined) continue;
      merged[Number(key)] = mergeValue(merged[Number(key)], value, join(path, key), origins);
    }
    return merged;
  }
  // Scalars are most leaves: handle their origin by key, and scan for a subtree's origins only
  // when a subtree is being replaced or brought in (a full scan per leaf made merging quadratic).
  origins.into.delete(path);
  if (hasSubtree(lower)) {
    for (const key of [...origins.into.keys()]) if (isAtOrUnder(key, path)) origins.into.delete(key);
  }
  if (hasSubtree(higher)) {
    for (const [key, origin] of origins.from) if (isAtOrUnder(key, path)) origins.into.set(key, origin);
  } else {
    const own = origins.from.get(path);
    if (own) origins.into.set(path, own);
  }
  return clone(higher);
}

function hasSubtree(value: unknown): boolean {
  return isPlainObject(value) || Array.isArray(value);
}

function isIndexObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => INDEX.test(key));
}

function isAtOrUnder(key: string, path: string): boolean {
  return key.startsWith(path) && (key.length === path.length || key.charCodeAt(path.length) === 46) /* . */;
}

function copyObject(source: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) setOwn(copy, key, value);
  return copy;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (child !== undefined) setOwn(copy, key, clone(child));
  return copy;
}
