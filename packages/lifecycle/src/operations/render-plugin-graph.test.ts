import { describe, expect, it } from '@jest/globals';
import { type PluginGraphNode, renderPluginGraph } from './render-plugin-graph.js';

function node(
  name: string,
  dependencies: Record<string, string> = {},
  overrides: Partial<PluginGraphNode> & { optional?: Record<string, string> } = {},
): PluginGraphNode {
  const { optional = {}, ...rest } = overrides;
  const list = (map: Record<string, string>) =>
    Object.entries(map).map(([dep, range]) => ({ name: dep, range }));
  return {
    name,
    version: '1.0.0',
    state: 'resolved',
    dependencies: list(dependencies),
    optionalDependencies: list(optional),
    ...rest,
  };
}

// db ← auth ← api, db ← api, api ⇠ @acme/ui (optional), orphan needs a plugin that is not installed.
const plugins = [
  node('api', { auth: '^1.0.0', db: '^1.0.0' }),
  node('@acme/ui', {}, { optional: { api: '^1.0.0' } }),
  node(
    'orphan',
    { ghost: '>=1 <2' },
    {
      state: 'disabled',
      disabled: { code: 'PLUGIN_DEPENDENCY_MISSING', message: 'ghost is missing' },
    },
  ),
  node('auth', { db: '^1.0.0' }),
  node('db'),
];

describe('renderPluginGraph tree', () => {
  it('puts plugins without dependencies at the top and their dependents below, each expanded once', () => {
    expect(renderPluginGraph(plugins, 'tree')).toBe(
      [
        'db@1.0.0',
        '├── api@1.0.0',
        '│   └── @acme/ui@1.0.0 (optional)',
        '└── auth@1.0.0',
        '    └── api@1.0.0 (see above)',
        'orphan@1.0.0 [disabled: PLUGIN_DEPENDENCY_MISSING]',
      ].join('\n'),
    );
  });

  it('prints plugins on a cycle once, without looping', () => {
    const cycle = [node('b', { a: '^1' }), node('a', { b: '^1' }), node('c', { b: '^1' })];
    expect(renderPluginGraph(cycle, 'tree')).toBe(
      ['a@1.0.0', '└── b@1.0.0', '    ├── a@1.0.0 (see above)', '    └── c@1.0.0'].join('\n'),
    );
  });

  it('handles long chains without recursion limits', () => {
    const chain = Array.from({ length: 2_000 }, (_, i) =>
      node(`p${String(i).padStart(4, '0')}`, i === 0 ? {} : { [`p${String(i - 1).padStart(4, '0')}`]: '*' }),
    );
    expect(renderPluginGraph(chain, 'tree').split('\n')).toHaveLength(2_000);
  });

  it('says when there is nothing to draw', () => {
    expect(renderPluginGraph([], 'tree')).toBe('(no plugins)');
  });
});

describe('renderPluginGraph dot', () => {
  it('draws arrows from a plugin to what it needs, with ranges, dashed optionals and styled disabled nodes', () => {
    expect(renderPluginGraph(plugins, 'dot')).toBe(
      [
        'digraph plugins {',
        '  node [shape=box];',
        '  "@acme/ui" [label="@acme/ui@1.0.0"];',
        '  "api" [label="api@1.0.0"];',
        '  "auth" [label="auth@1.0.0"];',
        '  "db" [label="db@1.0.0"];',
        '  "orphan" [label="orphan@1.0.0\\n(disabled)", style="filled,dashed", fillcolor="#eeeeee", fontcolor="#777777"];',
        '  "ghost" [label="ghost\\n(not installed)", style=dotted];',
        '  "@acme/ui" -> "api" [label="^1.0.0", style=dashed];',
        '  "api" -> "auth" [label="^1.0.0"];',
        '  "api" -> "db" [label="^1.0.0"];',
        '  "auth" -> "db" [label="^1.0.0"];',
        '  "orphan" -> "ghost" [label=">=1 <2"];',
        '}',
      ].join('\n'),
    );
  });

  it('escapes quotes and backslashes', () => {
    const odd = [node('a', { b: '"1\\' }), node('b')];
    expect(renderPluginGraph(odd, 'dot')).toContain('"a" -> "b" [label="\\"1\\\\"];');
  });
});

describe('renderPluginGraph mermaid', () => {
  it('draws a graph TD with positional ids, quoted labels and classes', () => {
    expect(renderPluginGraph(plugins, 'mermaid')).toBe(
      [
        'graph TD',
        '  n0["@acme/ui@1.0.0"]',
        '  n1["api@1.0.0"]',
        '  n2["auth@1.0.0"]',
        '  n3["db@1.0.0"]',
        '  n4["orphan@1.0.0 (disabled)"]:::disabled',
        '  n5["ghost (not installed)"]:::missing',
        '  n0 -.->|"^1.0.0"| n1',
        '  n1 -->|"^1.0.0"| n2',
        '  n1 -->|"^1.0.0"| n3',
        '  n2 -->|"^1.0.0"| n3',
        '  n4 -->|"#62;=1 #60;2"| n5',
        '  classDef disabled fill:#eeeeee,color:#777777,stroke-dasharray:5 5',
        '  classDef missing fill:#ffffff,color:#aa0000,stroke-dasharray:2 2',
      ].join('\n'),
    );
  });
});

describe('renderPluginGraph', () => {
  it.each(['tree', 'dot', 'mermaid'] as const)('gives the same %s whatever the input order', (format) => {
    expect(renderPluginGraph([...plugins].reverse(), format)).toBe(renderPluginGraph(plugins, format));
  });

  it('draws a dependency listed as both required and optional once, as required', () => {
    const both = [node('a', { b: '^1' }, { optional: { b: '^1' } }), node('b')];
    expect(renderPluginGraph(both, 'dot').match(/"a" -> "b"/g)).toHaveLength(1);
    expect(renderPluginGraph(both, 'dot')).not.toContain('dashed');
  });
});
