#!/usr/bin/env node
// Runs every workspace package's tests through turbo, then prints one plain line
// `N passed, N failed` summed from each package's Jest JSON results (CI reads that line, not
// Jest's own summary). Exits non-zero if any package failed, including coverage thresholds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const RESULTS = 'jest-results.json';

/** Workspace package folders whose package.json has a `test` script. */
function testedPackages() {
  const globs = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
    .split('\n')
    .map((line) => /^\s*-\s*['"]?([^'"#]+?)\/\*['"]?\s*$/.exec(line)?.[1])
    .filter(Boolean);
  const dirs = [];
  for (const parent of globs) {
    const parentDir = join(root, parent);
    if (!existsSync(parentDir)) continue;
    for (const entry of readdirSync(parentDir, { withFileTypes: true })) {
      const manifest = join(parentDir, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      if (pkg.scripts?.test) dirs.push({ dir: join(parentDir, entry.name), name: pkg.name });
    }
  }
  return dirs;
}

const packages = testedPackages();
// A result file left from an earlier run must not count for a package that failed to run now;
// turbo restores it from its cache when the package's tests are a cache hit.
for (const { dir } of packages) rmSync(join(dir, RESULTS), { force: true });

const env = { ...process.env };
env.NODE_OPTIONS = [env.NODE_OPTIONS, '--experimental-vm-modules', '--disable-warning=ExperimentalWarning']
  .filter(Boolean)
  .join(' ');
const turbo = spawnSync('pnpm', ['exec', 'turbo', 'run', 'test', '--continue', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
const rows = [];
for (const { dir, name } of packages) {
  const file = join(dir, RESULTS);
  if (!existsSync(file)) {
    failed += 1;
    rows.push(
      `  ${name}: no results (${relative(root, file)} missing: the test run crashed or did not start)`,
    );
    continue;
  }
  const result = JSON.parse(readFileSync(file, 'utf8'));
  // A suite that fails to load (syntax error, missing module) has no failed tests; count it.
  const brokenSuites = result.numRuntimeErrorTestSuites ?? 0;
  passed += result.numPassedTests;
  failed += result.numFailedTests + brokenSuites;
  const coverageNote =
    result.success || result.numFailedTests + brokenSuites > 0 ? '' : ' (coverage threshold not met)';
  rows.push(
    `  ${name}: ${result.numPassedTests} passed, ${result.numFailedTests + brokenSuites} failed${coverageNote}`,
  );
}

console.log('\nTest results by package:');
console.log(rows.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(turbo.status !== 0 || failed > 0 ? 1 : 0);
