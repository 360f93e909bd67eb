import { compareText, type LocalPluginView } from './inspect-local-plugins.js';

/** The formats {@link renderPluginGraph} writes. */
export const PLUGIN_GRAPH_FORMATS = ['tree', 'dot', 'mermaid'] as const;

/** One of {@link PLUGIN_GRAPH_FORMATS}. */
export type PluginGraphFormat = (typeof PLUGIN_GRAPH_FORMATS)[number];

/** The fields of a plugin the graph shows. */
export type PluginGraphNode = Pick<
  LocalPluginView,
  'name' | 'version' | 'state' | 'dependencies' | 'optionalDependencies' | 'disabled'
>;

/** A dependency edge: `from` declares `to` as a dependency, accepting `range`. */
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly range: string;
  readonly optional: boolean;
}

/**
 * Draws the dependency graph of a set of plugins; the output is the same for the same plugins,
 * whatever their order.
 *
 * - `tree`: plugins without dependencies at the top, each with the plugins that depend on it
 *   below (what breaks when it stops). A plugin reached twice is printed in full once, then as
 *   `(see above)`; plugins on a cycle, never reached from a root, start trees of their own.
 * - `dot`: Graphviz, arrows from a plugin to what it needs, labelled with the range; optional
 *   dependencies dashed, disabled plugins greyed, dependencies not installed dotted.
 * - `mermaid`: the same as a Mermaid `graph TD`, for Markdown.
 *
 * @example
 * ```ts
 * const { plugins } = await inspectLocalPlugins({ dir: 'plugins' });
 * writeFileSync('plugins.dot', renderPluginGraph(plugins, 'dot')); // then: dot -Tsvg plugins.dot
 * ```
 */
export function renderPluginGraph(plugins: readonly PluginGraphNode[], format: PluginGraphFormat): string {
  const nodes = [...plugins].sort((a, b) => compareText(a.name, b.name));
  const edges = edgesOf(nodes);
  if (format === 'dot') return renderDot(nodes, edges);
  if (format === 'mermaid') return renderMermaid(nodes, edges);
  return renderTree(nodes, edges);
}

function edgesOf(nodes: readonly PluginGraphNode[]): Edge[] {
  const edges: Edge[] = [];
  for (const node of nodes) {
    const required = new Set(node.dependencies.map((dependency) => dependency.name));
    for (const { name, range } of node.dependencies)
      edges.push({ from: node.name, to: name, range, optional: false });
    for (const { name, range } of node.optionalDependencies) {
      // Required wins when a manifest lists a name in both maps: resolution waits for it anyway.
      if (!required.has(name)) edges.push({ from: node.name, to: name, range, optional: true });
    }
  }
  return edges.sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));
}

function label(node: PluginGraphNode): string {
  return `${node.name}@${node.version}`;
}

function renderTree(nodes: readonly PluginGraphNode[], edges: readonly Edge[]): string {
  if (nodes.length === 0) return '(no plugins)';
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const dependents = new Map<string, Edge[]>();
  const hasDependency = new Set<string>();
  for (const edge of edges) {
    if (!byName.has(edge.to)) continue;
    hasDependency.add(edge.from);
    dependents.set(edge.to, [...(dependents.get(edge.to) ?? []), edge]);
  }
  const lines: string[] = [];
  const printed = new Set<string>();
  // An explicit stack rather than recursion: a chain of thousands of plugins must not overflow.
  const walk = (root: string) => {
    const stack = [{ name: root, optional: false, lead: '', indent: '' }];
    while (stack.length > 0) {
      const { name, optional, lead, indent } = stack.pop() as (typeof stack)[number];
      const node = byName.get(name) as PluginGraphNode;
      const marks = `${optional ? ' (optional)' : ''}${node.state === 'disabled' ? ` [disabled${node.disabled ? `: ${node.disabled.code}` : ''}]` : ''}`;
      if (printed.has(name)) {
        lines.push(`${lead}${label(node)}${marks} (see above)`);
        continue;
      }
      printed.add(name);
      lines.push(`${lead}${label(node)}${marks}`);
      const children = dependents.get(name) ?? [];
      for (let index = children.length - 1; index >= 0; index -= 1) {
        const last = index === children.length - 1;
        const child = children[index] as Edge;
        stack.push({
          name: child.from,
          optional: child.optional,
          lead: `${indent}${last ? '└── ' : '├── '}`,
          indent: `${indent}${last ? '    ' : '│   '}`,
        });
      }
    }
  };
  for (const node of nodes) if (!hasDependency.has(node.name)) walk(node.name);
  for (const node of nodes) if (!printed.has(node.name)) walk(node.name);
  return lines.join('\n');
}

function renderDot(nodes: readonly PluginGraphNode[], edges: readonly Edge[]): string {
  const dot = (text: string) => `"${text.replace(/["\\]/g, '\\$&').replaceAll('\n', '\\n')}"`;
  const lines = ['digraph plugins {', '  node [shape=box];'];
  for (const node of nodes) {
    lines.push(
      node.state === 'disabled'
        ? `  ${dot(node.name)} [label=${dot(`${label(node)}\n(disabled)`)}, style="filled,dashed", fillcolor="#eeeeee", fontcolor="#777777"];`
        : `  ${dot(node.name)} [label=${dot(label(node))}];`,
    );
  }
  for (const name of missingNames(nodes, edges)) {
    lines.push(`  ${dot(name)} [label=${dot(`${name}\n(not installed)`)}, style=dotted];`);
  }
  for (const edge of edges) {
    const style = edge.optional ? ', style=dashed' : '';
    lines.push(`  ${dot(edge.from)} -> ${dot(edge.to)} [label=${dot(edge.range)}${style}];`);
  }
  lines.push('}');
  return lines.join('\n');
}

function renderMermaid(nodes: readonly PluginGraphNode[], edges: readonly Edge[]): string {
  // Mermaid ids cannot hold "@" or "/", so nodes get positional ids; labels carry the names.
  const ids = new Map<string, string>();
  const idOf = (name: string) => ids.get(name) ?? (ids.set(name, `n${ids.size}`).get(name) as string);
  const text = (value: string) => `"${value.replace(/["<>]/g, (char) => `#${char.charCodeAt(0)};`)}"`;
  const lines = ['graph TD'];
  const used = new Set<string>();
  for (const node of nodes) {
    const disabled = node.state === 'disabled';
    if (disabled) used.add('disabled');
    lines.push(
      `  ${idOf(node.name)}[${text(`${label(node)}${disabled ? ' (disabled)' : ''}`)}]${disabled ? ':::disabled' : ''}`,
    );
  }
  for (const name of missingNames(nodes, edges)) {
    used.add('missing');
    lines.push(`  ${idOf(name)}[${text(`${name} (not installed)`)}]:::missing`);
  }
  for (const edge of edges) {
    lines.push(
      `  ${idOf(edge.from)} ${edge.optional ? '-.->' : '-->'}|${text(edge.range)}| ${idOf(edge.to)}`,
    );
  }
  if (used.has('disabled')) lines.push('  classDef disabled fill:#eeeeee,color:#777777,stroke-dasharray:5 5');
  if (used.has('missing')) lines.push('  classDef missing fill:#ffffff,color:#aa0000,stroke-dasharray:2 2');
  return lines.join('\n');
}

function missingNames(nodes: readonly PluginGraphNode[], edges: readonly Edge[]): string[] {
  const known = new Set(nodes.map((node) => node.name));
  return [...new Set(edges.map((edge) => edge.to).filter((name) => !known.has(name)))].sort(compareText);
}
