/**
 * The shortest cycle through `start` that stays inside `component`, as a closed walk
 * (`[start, …, start]`), or `undefined` when there is none.
 *
 * Breadth-first search visiting successors in the order given (ascending, so the result is
 * deterministic when nodes are numbered in name order). O(edges inside the component).
 *
 * @param successors `successors[i]` lists the nodes that node `i` has an edge to, ascending.
 */
export function shortestCycleThrough(
  start: number,
  successors: readonly (readonly number[])[],
  component: ReadonlySet<number>,
): number[] | undefined {
  const parent = new Map<number, number>([[start, -1]]);
  const queue: number[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    for (const next of successors[node] ?? []) {
      if (next === start) return [...pathTo(node, parent), start];
      if (parent.has(next) || !component.has(next)) continue;
      parent.set(next, node);
      queue.push(next);
    }
  }
  return undefined;
}

/**
 * The same cycle started at its smallest node: `[c, a, b, c]` becomes `[a, b, c, a]`.
 *
 * @param cycle a closed walk whose first and last entries are equal.
 */
export function rotateToSmallest(cycle: readonly number[]): number[] {
  const open = cycle.slice(0, -1);
  let smallest = 0;
  for (let i = 1; i < open.length; i++) if ((open[i] as number) < (open[smallest] as number)) smallest = i;
  const rotated = [...open.slice(smallest), ...open.slice(0, smallest)];
  return [...rotated, rotated[0] as number];
}

/**
 * Cycles that together pass through every member of a strongly connected component, so each
 * member can be shown a cycle it lies on. The first is the shortest cycle through the smallest
 * member; each member not yet covered then adds one simple cycle, built from the shortest path
 * from the smallest member to it and the shortest path back. Every cycle starts at its smallest node.
 *
 * O(edges inside the component) plus the length of the cycles returned, so a hub on thousands of
 * two-plugin cycles costs no more than a ring of thousands.
 *
 * @param component the component's nodes, ascending (from `findCyclicComponents`).
 * @param successors `successors[i]` lists the nodes that node `i` has an edge to, ascending.
 */
export function cyclesCovering(
  component: readonly number[],
  successors: readonly (readonly number[])[],
): number[][] {
  const members = new Set(component);
  const smallest = component[0] as number;
  const first = shortestCycleThrough(smallest, successors, members);
  /* c8 ignore next -- every member of a strongly connected component lies on a cycle */
  if (first === undefined) return [];
  const cycles = [first];
  const covered = new Set(first);
  if (covered.size === members.size) return cycles;

  const predecessors = new Map<number, number[]>(component.map((node) => [node, []]));
  for (const node of component) {
    for (const next of successors[node] ?? []) predecessors.get(next)?.push(node);
  }
  const outward = breadthFirstParents(smallest, (node) => successors[node] ?? [], members);
  const inward = breadthFirstParents(smallest, (node) => predecessors.get(node) ?? [], members);
  for (const member of component) {
    if (covered.has(member)) continue;
    // The way out (smallest → member) and back (member → smallest) are shortest paths, each free
    // of repeats; cutting the way back where it first rejoins the way out leaves a simple cycle.
    const out = pathTo(member, outward);
    const positions = new Map(out.map((node, i) => [node, i]));
    const back: number[] = [];
    let at = inward.get(member) as number;
    while (!positions.has(at)) {
      back.push(at);
      at = inward.get(at) as number;
    }
    const cycle = rotateToSmallest([...out.slice(positions.get(at)), ...back, at]);
    for (const node of cycle) covered.add(node);
    cycles.push(cycle);
  }
  return cycles;
}

/** Parent pointers of a breadth-first search from `start` inside `component`; the start maps to -1. */
function breadthFirstParents(
  start: number,
  neighbours: (node: number) => readonly number[],
  component: ReadonlySet<number>,
): Map<number, number> {
  const parent = new Map<number, number>([[start, -1]]);
  const queue: number[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    for (const next of neighbours(node)) {
      if (parent.has(next) || !component.has(next)) continue;
      parent.set(next, node);
      queue.push(next);
    }
  }
  return parent;
}

function pathTo(node: number, parent: ReadonlyMap<number, number>): number[] {
  const path: number[] = [];
  for (let at = node; at !== -1; at = parent.get(at) as number) path.push(at);
  return path.reverse();
}
