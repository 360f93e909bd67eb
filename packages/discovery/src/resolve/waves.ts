/** Nodes grouped into start waves by {@link computeWaves}. */
export interface WavePlan {
  /** `waves[k]` holds the nodes whose dependencies all sit in waves before `k`; each wave ascending. */
  readonly waves: number[][];
  /** Included nodes that could not be placed because they lie on or behind a cycle; ascending. */
  readonly unplaced: number[];
}

/**
 * Groups the included nodes of a dependency graph into waves that can start in parallel: a node's
 * wave is one more than the highest wave among its dependencies, and 0 when it has none.
 *
 * Kahn's algorithm in O(nodes + edges). Nodes inside waves are ascending, so numbering nodes in
 * name order makes the plan deterministic.
 *
 * @param dependencies `dependencies[i]` lists the nodes node `i` must start after; every one of
 *   them must be included.
 * @param included `included[i]` is true for the nodes to place.
 */
export function computeWaves(
  dependencies: readonly (readonly number[])[],
  included: readonly boolean[],
): WavePlan {
  const count = dependencies.length;
  const remaining = new Int32Array(count);
  const wave = new Int32Array(count);
  const dependents: number[][] = Array.from({ length: count }, () => []);
  const queue: number[] = [];
  for (let node = 0; node < count; node++) {
    if (!included[node]) continue;
    const deps = dependencies[node] as readonly number[];
    remaining[node] = deps.length;
    for (const dep of deps) (dependents[dep] as number[]).push(node);
    if (deps.length === 0) queue.push(node);
  }
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    const next = (wave[node] as number) + 1;
    for (const dependent of dependents[node] as number[]) {
      if ((wave[dependent] as number) < next) wave[dependent] = next;
      remaining[dependent] = (remaining[dependent] as number) - 1;
      if (remaining[dependent] === 0) queue.push(dependent);
    }
  }

  const waves: number[][] = [];
  const unplaced: number[] = [];
  for (let node = 0; node < count; node++) {
    if (!included[node]) continue;
    if (remaining[node] !== 0) {
      unplaced.push(node);
      continue;
    }
    const k = wave[node] as number;
    while (waves.length <= k) waves.push([]);
    (waves[k] as number[]).push(node);
  }
  return { waves, unplaced };
}
