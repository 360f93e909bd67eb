/** Which plugins a reload stops and starts again, from {@link planReload}. */
export interface ReloadPlan {
  /** The changed plugins and their (transitive) dependents, in reverse start order. */
  readonly stop: string[];
  /** The same plugins, in start order. */
  readonly start: string[];
}

/**
 * Plans a hot reload: the changed plugins and everything that depends on them, directly or
 * transitively, stop in reverse start order (dependents first) and start again in start order.
 * Plugins that are not in `startOrder` (not running, e.g. disabled) are left out of both lists.
 *
 * @param changed the plugins whose code changed.
 * @param dependents the plugins that depend directly on `name`.
 * @param startOrder every running plugin, in the order they started.
 *
 * @example
 * ```ts
 * // b and c depend on a, d depends on b and c
 * planReload(['a'], (name) => graph.dependentsOf(name), ['a', 'b', 'c', 'd']);
 * // → { stop: ['d', 'c', 'b', 'a'], start: ['a', 'b', 'c', 'd'] }
 * ```
 */
export function planReload(
  changed: readonly string[],
  dependents: (name: string) => readonly string[],
  startOrder: readonly string[],
): ReloadPlan {
  const affected = new Set<string>();
  const queue = [...changed];
  // A breadth-first walk: for...of over an array sees the elements pushed while it runs.
  for (const name of queue) {
    if (affected.has(name)) continue;
    affected.add(name);
    queue.push(...dependents(name));
  }
  const start = startOrder.filter((name) => affected.has(name));
  return { stop: [...start].reverse(), start };
}
