import { type Disposer, toDisposer } from '../disposer.js';
import { ConfigValueMissingError } from '../errors.js';
import type { ConfigChange, ConfigReader } from './config-reader.js';

/**
 * The default {@link ConfigReader}: a plain object read by dotted paths. `replace()` swaps the
 * whole object and notifies listeners with the paths whose values differ.
 */
export class StaticConfigReader implements ConfigReader {
  #values: Readonly<Record<string, unknown>>;
  readonly #listeners = new Set<(change: ConfigChange) => void>();

  constructor(values: Readonly<Record<string, unknown>> = {}) {
    this.#values = values;
  }

  get<T = unknown>(path: string): T | undefined {
    return lookup(this.#values, path) as T | undefined;
  }

  require<T = unknown>(path: string): T {
    const value = this.get<T>(path);
    if (value === undefined) throw new ConfigValueMissingError(path);
    return value;
  }

  has(path: string): boolean {
    return lookup(this.#values, path) !== undefined;
  }

  onChange(listener: (change: ConfigChange) => void): Disposer {
    this.#listeners.add(listener);
    return toDisposer(() => this.#listeners.delete(listener));
  }

  /** Replaces every value; listeners hear about the leaf paths that changed. */
  replace(values: Readonly<Record<string, unknown>>): void {
    const paths = changedPaths(this.#values, values, '');
    this.#values = values;
    if (paths.length === 0) return;
    for (const listener of [...this.#listeners]) listener({ paths });
  }
}

function lookup(values: unknown, path: string): unknown {
  let current = values;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function changedPaths(before: unknown, after: unknown, prefix: string): string[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) =>
      changedPaths(before[key], after[key], prefix ? `${prefix}.${key}` : key),
    );
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix];
}
