// Runs the three sections and writes docs/benchmarks/resilience-recovery.md.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BENCH_INTENSITY, MIN_BACKOFF, startBenchHost } from './bench-host.js';
import { measureChaos } from './chaos.js';
import { measureFailures } from './failures.js';
import { startLoad } from './load.js';
import { fmt } from './measure.js';
import { measureMttr } from './mttr.js';
import { type ReportInput, renderReport } from './report.js';
import { PLUGINS, writeVictims } from './victims.js';

const COMMAND = 'pnpm build && pnpm --filter @trellis/reference bench';
const OUTPUT = fileURLToPath(new URL('../../../docs/benchmarks/resilience-recovery.md', import.meta.url));
/** Rate of the steady client on the inline neighbour during sections 1 and 2, req/s. */
const STEADY_RATE = 200;

const began = performance.now();
const loadBefore = loadavg()[0] ?? 0;
const root = await mkdtemp(join(tmpdir(), 'trellis-recovery-bench-'));
try {
  const pluginsDir = join(root, 'plugins');
  await writeVictims(pluginsDir);
  const bench = await startBenchHost({
    pluginsDir,
    resilience: { supervisor: { backoff: MIN_BACKOFF, intensity: BENCH_INTENSITY } },
  });
  let isolated: Pick<ReportInput, 'failures' | 'mttr' | 'steady' | 'steadyLoopDelay'>;
  try {
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const steady = await startLoad(bench.url, [
      {
        name: 'steady `GET /plugins/steady/ping` (inline)',
        method: 'GET',
        path: `/plugins/${PLUGINS.steady}/ping`,
        ratePerSec: STEADY_RATE,
      },
    ]);
    try {
      loop.enable();
      const failures = await measureFailures(bench, root);
      const mttr = await measureMttr(bench);
      loop.disable();
      const steadyResult = await steady.stop();
      isolated = {
        failures,
        mttr,
        steady: steadyResult,
        steadyLoopDelay: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      };
    } finally {
      steady.abort();
    }
  } finally {
    await bench.stop();
  }
  console.log('chaos: 60 s');
  const chaos = await measureChaos();
  const seconds = (performance.now() - began) / 1_000;
  const markdown = renderReport({
    ...isolated,
    chaos,
    machine:
      `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ` +
      `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
      `${process.platform}. Reproduce: \`${COMMAND}\` (the whole run took ${fmt(seconds, 0)} s). One-minute ` +
      `load average ${fmt(loadBefore, 2)} at the start and ${fmt(loadavg()[0] ?? 0, 2)} at the end: ` +
      'anything above zero is other work on the machine, and on 2 cores it lengthens kills, cold starts ' +
      'and every tail below.',
    steadyRate: STEADY_RATE,
  });
  await writeFile(OUTPUT, markdown);
  const targets = markdown.split('\n## Targets\n')[1]?.split('\n## ')[0] ?? '';
  console.log(targets.trim());
  console.log(`wrote docs/benchmarks/resilience-recovery.md in ${fmt(seconds, 0)} s`);
} finally {
  await rm(root, { recursive: true, force: true });
}
