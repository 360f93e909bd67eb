import { cyclesCovering } from './cycle-paths.js';
import type { DisableRecord } from './disable-reasons.js';
import type { PluginGraph } from './plugin-graph.js';
import { findCyclicComponents } from './strongly-connected.js';

/** What each enabled plugin waits for, from {@link startDependencies}. */
export interface StartDependencies {
  /** `dependencies[i]`: the enabled plugins plugin `i` starts after, ascending; empty when disabled. */
  readonly dependencies: readonly (readonly number[])[];
  /** One line per cycle of optional dependencies that was broken. */
  readonly warnings: readonly string[];
}

/**
 * The start edges between enabled plugins: each required dependency, and each optional dependency
 * that is enabled.
 *
 * Optional dependencies can still close a cycle (`metrics` can use `http`, `http` can use
 * `metrics`). Such plugins stay enabled: the optional edges between members of the cycle are not
 * waited for, and a warning shows the cycle. Required edges alone cannot form a cycle here, since
 * `disableCycles` disabled those plugins.
 *
 * @param records the disable record of each plugin by number; `undefined` means enabled.
 */
export function startDependencies(
  graph: PluginGraph,
  records: readonly (DisableRecord | undefined)[],
): StartDependencies {
  const enabled = (node: number) => records[node] === undefined;
  const edgesOf = (node: number, skip: ReadonlySet<number> | undefined) => {
    if (!enabled(node)) return [];
    const required = graph.required[node] as readonly number[];
    const optional = (graph.optional[node] as readonly number[]).filter(
      (dep) => enabled(dep) && !skip?.has(dep),
    );
    return optional.length === 0 ? required : [...required, ...optional].sort((a, b) => a - b);
  };
  const dependencies = graph.names.map((_, node) => edgesOf(node, undefined));

  const warnings: string[] = [];
  for (const component of findCyclicComponents(dependencies)) {
    const cycles = cyclesCovering(component, dependencies).map((cycle) =>
      cycle.map((node) => graph.names[node]).join(' → '),
    );
    warnings.push(
      `Optional dependencies form a cycle: ${cycles.join('; ')}; ` +
        'the optional dependencies inside it are not waited for.',
    );
    const members = new Set(component);
    for (const node of component) dependencies[node] = edgesOf(node, members);
  }
  return { dependencies, warnings };
}
