import { PluginDependencyCycleError } from '../errors.js';
import { cyclesCovering } from './cycle-paths.js';
import { type DisableRecord, inCycle } from './disable-reasons.js';
import type { PluginGraph } from './plugin-graph.js';
import { findCyclicComponents } from './strongly-connected.js';

/**
 * Disables every plugin on a cycle of required dependencies, among the plugins that passed their
 * own checks, and returns the cycles found (each a closed walk started at its smallest name).
 * Each member's reason is the first reported cycle it lies on.
 *
 * @param records the disable record of each plugin by number; filled in for cycle members.
 */
export function disableCycles(graph: PluginGraph, records: (DisableRecord | undefined)[]): string[][] {
  const enabled = (node: number) => records[node] === undefined;
  // Most plugins have nothing disabled among their dependencies: keep their list, copy the rest.
  const successors = graph.required.map((deps, node) => {
    if (!enabled(node)) return [];
    return deps.every(enabled) ? deps : deps.filter(enabled);
  });
  const cycles: string[][] = [];
  for (const component of findCyclicComponents(successors)) {
    for (const cycle of cyclesCovering(component, successors)) {
      const path = cycle.map((node) => graph.names[node] as string);
      const record = inCycle(new PluginDependencyCycleError(path));
      for (const node of cycle) records[node] ??= record(graph.names[node] as string);
      cycles.push(path);
    }
  }
  return cycles;
}
