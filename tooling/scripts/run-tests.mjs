#!/usr/bin/env node
// Runs the workspace's tests through turbo (extra arguments, e.g. --filter, pass through), then
// prints one plain line `N passed, N failed` summed from each package's Jest JSON results: CI
// reads that line, not Jest's own summary. Exits non-zero if any package failed, including on
// coverage thresholds.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const RESULTS = 'jest-results.json';
// `pnpm test -- --filter=x` hands us a leading '--'; turbo must see the filter, not pass it on.
const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));

/** The packages whose `test` task this run will execute, as turbo plans it. */
function plannedPackages() {
  const dry = spawnSync('pnpm', ['exec', 'turbo', 'run', 'test', '--dry=json', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  if (dry.status !== 0) {
    process.stderr.write(dry.stderr);
    process.exit(dry.status ?? 1);
  }
  return JSON.parse(dry.stdout)
    .tasks.filter((task) => task.task === 'test' && task.command !== '<NONEXISTENT>')
    .map((task) => ({ name: task.package, dir: join(root, task.directory) }));
}

const packages = plannedPackages();
// A result file left from an earlier run must not count for a package that failed to run now;
// turbo restores it from its cache when the package's tests are a cache hit.
for (const { dir } of packages) rmSync(join(dir, RESULTS), { force: true });

const turbo = spawnSync('pnpm', ['exec', 'turbo', 'run', 'test', '--continue', ...args], {
  cwd: root,
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
const rows = [];
for (const { dir, name } of packages) {
  const file = join(dir, RESULTS);
  if (!existsSync(file)) {
    failed += 1;
    rows.push(`  ${name}: no results (${RESULTS} missing: the test run crashed or did not start)`);
    continue;
  }
  const result = JSON.parse(readFileSync(file, 'utf8'));
  // A suite that fails to load (syntax error, missing module) has no failed tests; count it.
  const packageFailed = result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  passed += result.numPassedTests;
  failed += packageFailed;
  const coverageNote = result.success || packageFailed > 0 ? '' : ' (coverage threshold not met)';
  rows.push(`  ${name}: ${result.numPassedTests} passed, ${packageFailed} failed${coverageNote}`);
}

console.log('\nTest results by package:');
console.log(rows.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(turbo.status !== 0 || failed > 0 ? 1 : 0);
