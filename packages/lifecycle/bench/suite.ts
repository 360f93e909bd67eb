// Runs the four sections and writes docs/benchmarks/lifecycle.md. Memory runs first (its probes
// run in their own processes, best with the machine otherwise idle); the document lists the
// sections in reading order. Then the deployment section (store, deployer, desired state) writes
// its own report, docs/benchmarks/lifecycle-deploy.md, from a fresh process (`--deploy-only`, which
// also runs it alone): this process ends the four sections with a heap of about half a GB, which
// made every deployment figure 2–5× slower.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootMarkdown, measureBoot } from './boot.js';
import { coldStartMarkdown, measureColdStart } from './cold-start.js';
import { runDeployBench } from './deploy.js';
import { PACKAGE_DIR, writeBoundaryFixtures } from './fixtures.js';
import { fmt } from './measure.js';
import { measureMemory, memoryMarkdown } from './memory.js';
import { measureRoundTrips, roundTripMarkdown } from './round-trip.js';

const COMMAND = 'pnpm build && pnpm --filter @trellis/lifecycle bench';

const began = performance.now();
const loadBefore = loadavg()[0] ?? 0;
const root = await mkdtemp(join(tmpdir(), 'trellis-lifecycle-bench-'));
if (process.argv.includes('--deploy-only')) {
  try {
    await runDeployBench(join(root, 'deploy'), COMMAND);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  process.exit();
}
try {
  const fixtures = await writeBoundaryFixtures(join(root, 'boundary'));
  const memory = await measureMemory(fixtures);
  const boot = await measureBoot(join(root, 'boot'));
  const coldStart = await measureColdStart(fixtures);
  // Also writes the file through runSuite; the full document below replaces it.
  const roundTrips = await measureRoundTrips(fixtures);
  const seconds = (performance.now() - began) / 1_000;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const markdown = [
    '# @trellis/lifecycle benchmarks',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${cpus().length} × ${cpu}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}. Reproduce: \`${COMMAND}\` (the whole ` +
      `suite took ${fmt(seconds, 0)} s). "vs baseline" divides by the baseline of the same table, measured in ` +
      'the same run (1.00× = as fast or as small; 3.00× = three times slower or bigger). One-minute load ' +
      `average ${fmt(loadBefore, 2)} at the start and ${fmt(loadavg()[0] ?? 0, 2)} at the end: anything above ` +
      'zero is other work on the machine, which widens the spreads (min–max, p95, p99) more than the medians.',
    '',
    'Method: times are `performance.now()` differences in one Node process (memory: a fresh one per row) ' +
      'running the built `dist/` of ' +
      '`@trellis/lifecycle` (its worker and process bootstraps run from there), after warm-ups. The bench is ' +
      'TypeScript started by `tsx`, but it runs itself again under plain `node` (native type stripping) so ' +
      'that neither plugin workers, which inherit the host’s node options, nor fresh plugin imports pay for ' +
      'tsx’s loader, as they never do in production. Generated plugins are written to the OS temp folder and ' +
      'removed afterwards. The code is in `packages/lifecycle/bench/`.',
    '',
    ...bootMarkdown(boot),
    '',
    ...coldStartMarkdown(coldStart),
    '',
    ...roundTripMarkdown(roundTrips),
    '',
    ...memoryMarkdown(memory),
    '',
  ].join('\n');
  await writeFile(join(PACKAGE_DIR, '..', '..', 'docs', 'benchmarks', 'lifecycle.md'), markdown);
  console.log(`wrote docs/benchmarks/lifecycle.md in ${fmt(seconds, 0)} s`);
  const index = fileURLToPath(new URL('./index.ts', import.meta.url));
  const deploy = spawn(process.execPath, [index, '--deploy-only'], { stdio: 'inherit' });
  const [code] = (await once(deploy, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the deployment section exited with ${code}`);
} finally {
  await rm(root, { recursive: true, force: true });
}
