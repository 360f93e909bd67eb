/** A dependency order and the cycles met while computing it. */
export interface DependencyOrder {
  /** Every name, each after the names it depends on (except across a cycle). */
  readonly order: readonly string[];
  /** Each cycle once, as a path starting at its smallest name and ending where it began. */
  readonly cycles: readonly (readonly string[])[];
}

/**
 * Orders `names` so that dependencies come before their dependents: a depth-first post-order,
 * visiting names and their dependencies in the order given, so equal inputs give equal orders.
 * A cycle does not stop it: the edge closing the cycle is ignored and the cycle reported.
 *
 * @param names the nodes, in the order ties should be broken (callers pass them sorted).
 * @param dependenciesOf a node's dependencies; names outside `names` are ignored.
 */
export function dependencyOrder(
  names: readonly string[],
  dependenciesOf: (name: string) => readonly string[],
): DependencyOrder {
  const known = new Set(names);
  // 1: on the current path, 2: done. An explicit stack, so a chain of thousands cannot overflow.
  const state = new Map<string, 1 | 2>();
  const order: string[] = [];
  const cycles = new Map<string, string[]>();
  for (const root of names) {
    if (state.has(root)) continue;
    const stack = [{ name: root, next: 0, dependencies: dependenciesOf(root) }];
    const path = [root];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const dependency = top.dependencies[top.next];
      top.next += 1;
      if (dependency === undefined) {
        stack.pop();
        path.pop();
        state.set(top.name, 2);
        order.push(top.name);
      } else if (!known.has(dependency) || state.get(dependency) === 2) {
        // Outside the set, or already ordered.
      } else if (state.get(dependency) === 1) {
        const cycle = normalize(path.slice(path.indexOf(dependency)));
        cycles.set(cycle.join('\u0000'), cycle);
      } else {
        state.set(dependency, 1);
        path.push(dependency);
        stack.push({ name: dependency, next: 0, dependencies: dependenciesOf(dependency) });
      }
    }
  }
  return { order, cycles: [...cycles.values()] };
}

/** Rotates a cycle to start at its smallest name and closes it: `[b, a]` → `[a, b, a]`. */
function normalize(cycle: readonly string[]): string[] {
  let start = 0;
  for (let i = 1; i < cycle.length; i += 1) if ((cycle[i] as string) < (cycle[start] as string)) start = i;
  const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
  return [...rotated, rotated[0] as string];
}
