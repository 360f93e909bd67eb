import { createHash, createHmac } from 'node:crypto';
import { isSecret } from '../schema/secret-value.js';
import type { Origin } from '../sources/origin.js';
import { isPlainObject } from '../sources/plain-object.js';

/** One applied configuration: the typed value plus everything needed to explain or restore it. */
export interface ConfigState<T> {
  /** Applied-version counter of this process: 1 at load, +1 per applied change. */
  readonly version: number;
  /** The validated, deep-frozen value. */
  readonly value: T;
  /** The merged (decrypted, pre-validation) values it was made from, for rollback. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** Leaf path → where it came from. */
  readonly origins: ReadonlyMap<string, Origin>;
  /** Every path of `value` (objects, arrays, elements and leaves) → its value, for `get()`. */
  readonly paths: ReadonlyMap<string, unknown>;
  /** sha256 over the canonical JSON of `value`, secrets included (as digests), for propagation. */
  readonly checksum: string;
  readonly appliedAt: number;
  /** Why it was applied: `load`, `reload`, `override`, `rollback to v3`, `remote v7`. */
  readonly reason: string;
}

/** Builds a {@link ConfigState}, freezing the value and indexing its paths. */
export function createConfigState<T>(
  input: Omit<ConfigState<T>, 'paths' | 'checksum'>,
  checksumKey?: Uint8Array,
): ConfigState<T> {
  const value = deepFreeze(input.value);
  return { ...input, value, paths: indexPaths(value), checksum: checksum(value, checksumKey) };
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || isSecret(value) || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

function indexPaths(value: unknown): Map<string, unknown> {
  const paths = new Map<string, unknown>();
  const visit = (node: unknown, path: string) => {
    if (path) paths.set(path, node);
    // Only plain objects and arrays have addressable children; Secret and other class values are leaves.
    if (!Array.isArray(node) && !isPlainObject(node)) return;
    for (const [key, child] of Object.entries(node)) visit(child, path ? `${path}.${key}` : key);
  };
  visit(value, '');
  return paths;
}

/**
 * sha256 of canonical JSON (sorted keys). A secret contributes a digest of its value, never the
 * value: keyed (HMAC) when `key` is given, so a leaked checksum cannot be used to guess a weak
 * secret offline; instances that share the config keys still agree on it.
 */
export function checksum(value: unknown, key?: Uint8Array): string {
  const digest = (text: string) =>
    (key ? createHmac('sha256', key) : createHash('sha256')).update(text).digest('hex');
  const canonical = (node: unknown): unknown => {
    if (isSecret(node)) return { secret: digest(JSON.stringify(node.reveal())) };
    if (Array.isArray(node)) return node.map(canonical);
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(
        Object.keys(node)
          .sort()
          .map((key) => [key, canonical((node as Record<string, unknown>)[key])]),
      );
    }
    return node;
  };
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(canonical(value)) ?? 'undefined')
    .digest('hex')}`;
}
