/**
 * Walks `edges` (plugin → the plugins next to it) from `start`, returning every plugin reached,
 * `start` excluded, in no particular order.
 */
export function reachable(start: string, edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(edges.get(start) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next) || next === start) continue;
    seen.add(next);
    for (const further of edges.get(next) ?? []) stack.push(further);
  }
  return seen;
}

/** `edges` reversed: for each plugin, the plugins that point at it. */
export function invertEdges(edges: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const inverted = new Map<string, string[]>();
  for (const [from, targets] of edges) {
    for (const to of targets) {
      const list = inverted.get(to);
      if (list) list.push(from);
      else inverted.set(to, [from]);
    }
  }
  return inverted;
}

/** Groups `names` by wave (from `waveOf`), waves ascending, names sorted within a wave. */
export function byWave(names: Iterable<string>, waveOf: (name: string) => number): string[][] {
  const groups = new Map<number, string[]>();
  for (const name of names) {
    const wave = waveOf(name);
    const group = groups.get(wave);
    if (group) group.push(name);
    else groups.set(wave, [name]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group.sort());
}
