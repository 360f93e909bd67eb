import { type DisableRecord, dependencyDisabled } from './disable-reasons.js';
import type { PluginGraph } from './plugin-graph.js';

/**
 * Disables, transitively, every plugin that requires a disabled plugin. Optional dependencies do
 * not pass the state on.
 *
 * One breadth-first pass over reverse required edges, O(plugins + edges). A plugin with several
 * disabled dependencies names the one closest to a plugin disabled on its own account, the
 * smaller name on a tie.
 *
 * @param records the disable record of each plugin by number; filled in for the dependents.
 */
export function disableDependents(graph: PluginGraph, records: (DisableRecord | undefined)[]): void {
  const dependents: number[][] = graph.names.map(() => []);
  graph.required.forEach((deps, node) => {
    for (const dep of deps) (dependents[dep] as number[]).push(node);
  });
  const queue: number[] = [];
  records.forEach((record, node) => {
    if (record !== undefined) queue.push(node);
  });
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    const record = records[node] as DisableRecord;
    for (const dependent of dependents[node] as number[]) {
      if (records[dependent] !== undefined) continue;
      records[dependent] = dependencyDisabled(
        graph.names[dependent] as string,
        graph.names[node] as string,
        record,
      );
      queue.push(dependent);
    }
  }
}
