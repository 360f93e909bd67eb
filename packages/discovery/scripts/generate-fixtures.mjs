#!/usr/bin/env node
// Writes a tree of generated plugins for benchmarks and manual scale tests:
//   node scripts/generate-fixtures.mjs <dir> <count> [--seed n]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateFixtureTree } from './fixture-tree.mjs';

const USAGE = 'usage: node scripts/generate-fixtures.mjs <dir> <count> [--seed n]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seed: { type: 'string', default: '1' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const [dir, countText] = positionals;
const count = Number(countText);
const seed = Number(values.seed);
if (
  dir === undefined ||
  positionals.length !== 2 ||
  !Number.isInteger(count) ||
  count < 0 ||
  !Number.isInteger(seed)
) {
  console.error(USAGE);
  process.exit(2);
}

const started = performance.now();
await generateFixtureTree(resolve(dir), count, seed);
console.log(
  `wrote ${count} plugins to ${resolve(dir)} in ${Math.round(performance.now() - started)} ms (seed ${seed})`,
);
