// @trellis/discovery benchmarks: dependency resolution of a 10,000-plugin graph against the
// topological sort a user would write by hand, then scan + validate + resolve of generated plugin
// trees at 10 to 10,000 plugins. Run with `pnpm build && pnpm --filter @trellis/discovery bench`.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runSuite } from '@trellis/bench';
import { TRELLIS_VERSION } from '@trellis/core';
import { type ResolveInput, resolvePlugins, scanPlugins } from '@trellis/discovery';
import { type GeneratedManifest, generateFixtureTree, generateManifests } from '../scripts/fixture-tree.mjs';

const SEED = 1;
const SCALE_SIZES = [10, 100, 1_000, 10_000] as const;
/** The targets for scan + validate + resolve on a 2-core machine, in ms. */
const TARGET_MS: Readonly<Record<number, number>> = { 1000: 300, 10000: 3_000 };
const SCALE_RUNS = 5;

// Memory figures need a collection before and after each run; `gc` is not exposed to `tsx`.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let sink: unknown;
function keep(value: unknown): void {
  sink = value;
}

const toInput = (manifest: GeneratedManifest): ResolveInput => ({
  manifest,
  location: `plugins/${manifest.name}`,
});

/** What a user would hand-write: Kahn's algorithm over names, no versions, no explanations. */
function plainTopologicalSort(manifests: readonly GeneratedManifest[]): string[] {
  const byName = new Map(manifests.map((m) => [m.name, m]));
  const remaining = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const m of manifests) {
    const deps = [...Object.keys(m.dependencies), ...Object.keys(m.optionalDependencies)].filter((d) =>
      byName.has(d),
    );
    remaining.set(m.name, deps.length);
    for (const dep of deps) {
      const list = dependents.get(dep);
      if (list === undefined) dependents.set(dep, [m.name]);
      else list.push(m.name);
    }
  }
  const order = manifests.filter((m) => remaining.get(m.name) === 0).map((m) => m.name);
  for (let head = 0; head < order.length; head++) {
    for (const dependent of dependents.get(order[head] as string) ?? []) {
      const left = (remaining.get(dependent) as number) - 1;
      remaining.set(dependent, left);
      if (left === 0) order.push(dependent);
    }
  }
  return order;
}

const manifests = generateManifests(10_000, SEED);
const inputs = manifests.map(toInput);
// The same graph with 1% of plugins broken (none of them a hub): 40 on an old platform, 40 missing
// a dependency, a 20-plugin cycle; their dependents are disabled in turn.
const broken = inputs.map((input, i): ResolveInput => {
  const { manifest } = input;
  if (i % 250 === 100) return { ...input, manifest: { ...manifest, platform: '^0.0.1' } };
  if (i % 250 === 200)
    return { ...input, manifest: { ...manifest, dependencies: { ...manifest.dependencies, gone: '^1' } } };
  if (i >= 9_000 && i < 9_020) {
    const next = inputs[i === 9_019 ? 9_000 : i + 1] as ResolveInput;
    return {
      ...input,
      manifest: { ...manifest, dependencies: { ...manifest.dependencies, [next.manifest.name]: '*' } },
    };
  }
  return input;
});

const check = resolvePlugins(inputs, { platformVersion: TRELLIS_VERSION });
if (check.enabled.size !== 10_000 || plainTopologicalSort(manifests).length !== 10_000)
  throw new Error('the generated graph should resolve with every plugin enabled');
const checkBroken = resolvePlugins(broken, { platformVersion: TRELLIS_VERSION });
const edgeCount = manifests.reduce(
  (sum, m) => sum + Object.keys(m.dependencies).length + Object.keys(m.optionalDependencies).length,
  0,
);

await runSuite({
  title: '@trellis/discovery benchmarks',
  file: 'discovery.md',
  command: 'pnpm build && pnpm --filter @trellis/discovery bench',
  groups: [
    {
      title: 'Resolve a 10,000-plugin graph',
      description:
        `10,000 generated plugins with ${edgeCount.toLocaleString('en-US')} dependency edges (0–4 required and 0–2 ` +
        `optional each, 70% of them on 20 hub plugins; ${check.waves.length} waves). The baseline is a plain ` +
        'Kahn topological sort over names, what a user would hand-write: no semver, platform or cycle checks, no ' +
        'explanations. `resolvePlugins` checks every range, finds cycles, disables dependents with reasons and ' +
        `groups waves; the broken variant has ${checkBroken.disabled.size} disabled plugins (old platform, ` +
        'missing dependencies, a 20-plugin cycle, and their dependents).',
      baseline: { name: 'plain Kahn topological sort', fn: () => keep(plainTopologicalSort(manifests)) },
      tasks: [
        {
          name: 'resolvePlugins (all enabled)',
          fn: () => keep(resolvePlugins(inputs, { platformVersion: TRELLIS_VERSION })),
        },
        {
          name: `resolvePlugins (${checkBroken.disabled.size} disabled)`,
          fn: () => keep(resolvePlugins(broken, { platformVersion: TRELLIS_VERSION })),
        },
      ],
    },
  ],
});

interface ScaleRow {
  readonly plugins: number;
  readonly totalMs: number;
  readonly scanMs: number;
  readonly resolveMs: number;
  readonly heapDeltaMiB: number;
  readonly retainedMiB: number;
  readonly rssMiB: number;
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const mib = (bytes: number) => bytes / 2 ** 20;

/** Scan + validate + resolve of a generated tree of `size` plugins, `SCALE_RUNS` times. */
async function measureScale(size: number): Promise<ScaleRow> {
  const dir = await mkdtemp(join(tmpdir(), `trellis-discovery-bench-${size}-`));
  try {
    await generateFixtureTree(dir, size, SEED);
    const totals: number[] = [];
    const scans: number[] = [];
    const resolves: number[] = [];
    const heapDeltas: number[] = [];
    const retained: number[] = [];
    for (let run = 0; run < SCALE_RUNS; run++) {
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const scan = await scanPlugins({ roots: [dir], maxDepth: 1 });
      const scanned = performance.now();
      const result = resolvePlugins(
        scan.plugins.map((found) => ({ manifest: found.manifest, location: found.dir })),
        { platformVersion: TRELLIS_VERSION },
      );
      const ended = performance.now();
      heapDeltas.push(process.memoryUsage().heapUsed - heapBefore);
      gc();
      retained.push(process.memoryUsage().heapUsed - heapBefore);
      if (scan.problems.length > 0 || result.enabled.size !== size)
        throw new Error(
          `${size} plugins: ${scan.problems.length} scan problems, ${result.enabled.size} enabled`,
        );
      keep(result);
      totals.push(ended - started);
      scans.push(scanned - started);
      resolves.push(ended - scanned);
    }
    return {
      plugins: size,
      totalMs: median(totals),
      scanMs: median(scans),
      resolveMs: median(resolves),
      heapDeltaMiB: mib(median(heapDeltas)),
      retainedMiB: mib(median(retained)),
      rssMiB: mib(process.memoryUsage().rss),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const rows: ScaleRow[] = [];
for (const size of SCALE_SIZES) rows.push(await measureScale(size));

const fmt = (value: number, digits: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
console.log('\nScan + validate + resolve');
console.table(
  rows.map((row) => ({
    plugins: row.plugins,
    'total ms': fmt(row.totalMs, 1),
    'scan ms': fmt(row.scanMs, 1),
    'resolve ms': fmt(row.resolveMs, 1),
    'heap Δ MiB': fmt(row.heapDeltaMiB, 1),
    'retained MiB': fmt(row.retainedMiB, 1),
    'rss MiB': fmt(row.rssMiB, 0),
  })),
);

const markdown = [
  '',
  '## Scan + validate + resolve at 10 / 100 / 1,000 / 10,000 plugins',
  '',
  `Generated plugin trees (\`scripts/generate-fixtures.mjs\`, seed ${SEED}) written to the OS temp folder: ` +
    '`scanPlugins({ roots: [dir], maxDepth: 1 })` reads and validates every `trellis.plugin.json`, then ' +
    `\`resolvePlugins\` orders them. Times are the median of ${SCALE_RUNS} runs in one process (the file ` +
    'system cache is warm after the first). "heap Δ" is `heapUsed` right after a run minus before it (a ' +
    'collection forced before), "retained" the same after a forced collection while the result is still ' +
    `held, "rss" the process resident set after the size's runs. ${cpus().length} × ` +
    `${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(mib(totalmem()) / 1024)} GiB.`,
  '',
  '| plugins | total ms | scan + validate ms | resolve ms | target | heap Δ MiB | retained MiB | rss MiB |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((row) => {
    const target = TARGET_MS[row.plugins];
    const verdict = target === undefined ? '—' : `< ${fmt(target, 0)} ms ${row.totalMs < target ? '✓' : '✗'}`;
    return (
      `| ${fmt(row.plugins, 0)} | ${fmt(row.totalMs, 1)} | ${fmt(row.scanMs, 1)} | ${fmt(row.resolveMs, 1)} | ` +
      `${verdict} | ${fmt(row.heapDeltaMiB, 1)} | ${fmt(row.retainedMiB, 1)} | ${fmt(row.rssMiB, 0)} |`
    );
  }),
  '',
].join('\n');
const docs = resolve(import.meta.dirname, '..', '..', '..', 'docs', 'benchmarks', 'discovery.md');
await writeFile(docs, `${(await readFile(docs, 'utf8')).trimEnd()}\n${markdown}`);
console.log('appended the scale table to docs/benchmarks/discovery.md');

if (sink === undefined) throw new Error('benchmark bodies were optimised away');
