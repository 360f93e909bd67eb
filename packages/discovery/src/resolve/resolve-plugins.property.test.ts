import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import semver from 'semver';
import type { PluginDependencyCycleError } from '../errors.js';
import { type ResolutionResult, type ResolveInput, resolvePlugins } from './resolve-plugins.js';

/** One dependency edge: node `from` depends on node `to`. */
interface Edge {
  readonly from: number;
  readonly to: number;
  readonly optional: boolean;
  readonly range: '*' | '^1.0.0';
}

interface RandomGraph {
  readonly size: number;
  readonly versions: readonly string[];
  readonly edges: readonly Edge[];
  /** A permutation of node numbers: the order plugins are handed to the resolver. */
  readonly inputOrder: readonly number[];
}

// Names whose sort order differs from node order (`n10` < `n2`), so nothing leans on it.
const nameOf = (node: number) => `n${node}`;

/** An edge from a higher node to a lower one, with a range every generated version meets. */
const downwardEdge = (size: number) =>
  fc.integer({ min: 1, max: size - 1 }).chain((from) =>
    fc.record<Edge>({
      from: fc.constant(from),
      to: fc.nat(from - 1),
      optional: fc.boolean(),
      range: fc.constantFrom('*', '^1.0.0'),
    }),
  );

/** Random DAGs of up to 40 plugins with versions `1.x.y` and up to 3 edges per plugin on average. */
const dag: fc.Arbitrary<RandomGraph> = fc.integer({ min: 1, max: 40 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    versions: fc.array(
      fc.tuple(fc.nat(9), fc.nat(9)).map(([minor, patch]) => `1.${minor}.${patch}`),
      { minLength: size, maxLength: size },
    ),
    edges:
      size < 2
        ? fc.constant([])
        : fc.uniqueArray(downwardEdge(size), { maxLength: size * 3, selector: (e) => `${e.from}>${e.to}` }),
    inputOrder: fc.shuffledSubarray(
      Array.from({ length: size }, (_, i) => i),
      { minLength: size, maxLength: size },
    ),
  }),
);

function inputsOf(graph: RandomGraph): ResolveInput[] {
  return graph.inputOrder.map((node) => {
    const dependencies: Record<string, string> = {};
    const optionalDependencies: Record<string, string> = {};
    for (const edge of graph.edges) {
      if (edge.from !== node) continue;
      (edge.optional ? optionalDependencies : dependencies)[nameOf(edge.to)] = edge.range;
    }
    return {
      manifest: {
        name: nameOf(node),
        version: graph.versions[node] as string,
        platform: '^0.1.0',
        dependencies,
        optionalDependencies,
      },
      location: `plugins/${nameOf(node)}`,
    };
  });
}

function waveIndex(result: ResolutionResult): Map<string, number> {
  const index = new Map<string, number>();
  result.waves.forEach((wave, k) => {
    for (const name of wave) index.set(name, k);
  });
  return index;
}

describe('resolvePlugins (properties)', () => {
  it('enables every plugin of a DAG, in waves that respect every edge and are minimal', () => {
    fc.assert(
      fc.property(dag, (graph) => {
        const result = resolvePlugins(inputsOf(graph), { platformVersion: '0.1.0' });
        expect(result.disabled.size).toBe(0);
        expect(result.enabled.size).toBe(graph.size);
        const wave = waveIndex(result);
        expect(wave.size).toBe(graph.size);
        for (const edge of graph.edges) {
          expect(wave.get(nameOf(edge.to))).toBeLessThan(wave.get(nameOf(edge.from)) as number);
        }
        for (const [name, k] of wave) {
          const deps = result.edges.get(name) ?? [];
          if (k === 0) expect(deps).toEqual([]);
          else expect(deps.some((dep) => wave.get(dep) === k - 1)).toBe(true);
        }
        for (const names of result.waves) expect([...names].sort()).toEqual(names);
        expect(result.order).toEqual(result.waves.flat());
      }),
    );
  });

  it('disables every member of an injected cycle and reports a real cycle through each', () => {
    const withCycle = dag.chain((graph) =>
      fc.record({
        graph: fc.constant(graph),
        cycle: fc.shuffledSubarray(
          Array.from({ length: graph.size }, (_, i) => i),
          { minLength: 1, maxLength: Math.min(6, graph.size) },
        ),
      }),
    );
    fc.assert(
      fc.property(withCycle, ({ graph, cycle }) => {
        // Close the cycle with required edges, replacing any edge between the same two plugins.
        const injected: Edge[] = cycle.map((from, i) => ({
          from,
          to: cycle[(i + 1) % cycle.length] as number,
          optional: false,
          range: '*',
        }));
        const edges = [
          ...graph.edges.filter((edge) => !injected.some((e) => e.from === edge.from && e.to === edge.to)),
          ...injected,
        ];
        const result = resolvePlugins(inputsOf({ ...graph, edges }), { platformVersion: '0.1.0' });
        const required = new Set(
          edges.filter((e) => !e.optional).map((e) => `${nameOf(e.from)}>${nameOf(e.to)}`),
        );

        for (const member of cycle.map(nameOf)) {
          const disabled = result.disabled.get(member);
          expect(disabled?.cause).toBe('cycle');
          const path = (disabled?.reason as PluginDependencyCycleError | undefined)?.cycle ?? [];
          expect(path).toContain(member);
          expect(path[0]).toBe(path[path.length - 1]);
          expect(path[0]).toBe([...path].sort()[0]);
          for (let i = 0; i + 1 < path.length; i++)
            expect(required.has(`${path[i]}>${path[i + 1]}`)).toBe(true);
        }
        for (const { cause } of result.disabled.values())
          expect(['cycle', 'dependency-disabled']).toContain(cause);
        const wave = waveIndex(result);
        for (const [name, deps] of result.edges) {
          for (const dep of deps) expect(wave.get(dep)).toBeLessThan(wave.get(name) as number);
        }
      }),
    );
  });
});

describe('resolvePlugins version checks (properties)', () => {
  const RANGES = [
    '*',
    '^1.2.0',
    '~1.2.3',
    '1.x',
    '<1.x',
    '>=1.2.3-beta.1',
    '>1.0.0-0 <2.0.0',
    '1.2.3 - 2.0.0',
    '^0.0.3',
    '<2.0.0-0',
    '>=1.0.0 <1.2.3 || >=2.0.0',
    '=1.2.3',
  ];
  const version = fc
    .tuple(
      fc.nat(2),
      fc.nat(3),
      fc.nat(4),
      fc.option(fc.constantFrom('alpha', 'beta.1', 'rc.2', '0'), { nil: undefined }),
    )
    .map(([major, minor, patch, pre]) => `${major}.${minor}.${patch}${pre === undefined ? '' : `-${pre}`}`);

  it('accepts a dependency exactly when semver.satisfies with includePrerelease does', () => {
    fc.assert(
      fc.property(version, fc.constantFrom(...RANGES), (found, range) => {
        const result = resolvePlugins(
          [
            {
              manifest: {
                name: 'a',
                version: found,
                platform: '*',
                dependencies: {},
                optionalDependencies: {},
              },
              location: 'a',
            },
            {
              manifest: {
                name: 'b',
                version: '1.0.0',
                platform: '*',
                dependencies: { a: range },
                optionalDependencies: {},
              },
              location: 'b',
            },
          ],
          { platformVersion: '0.1.0' },
        );
        expect(result.enabled.has('b')).toBe(semver.satisfies(found, range, { includePrerelease: true }));
      }),
      { numRuns: 500 },
    );
  });

  it('accepts a platform version exactly when semver.satisfies with includePrerelease does', () => {
    fc.assert(
      fc.property(version, fc.constantFrom(...RANGES), (platformVersion, range) => {
        const result = resolvePlugins(
          [
            {
              manifest: {
                name: 'a',
                version: '1.0.0',
                platform: range,
                dependencies: {},
                optionalDependencies: {},
              },
              location: 'a',
            },
          ],
          { platformVersion },
        );
        expect(result.enabled.has('a')).toBe(
          semver.satisfies(platformVersion, range, { includePrerelease: true }),
        );
      }),
      { numRuns: 500 },
    );
  });
});
