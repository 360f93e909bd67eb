#!/usr/bin/env node
// Writes manifest.schema.json, the JSON Schema of a plugin manifest that editors use, from the
// built package (run `pnpm build` first), then formats it with Biome so `biome check` passes.
// The file is committed and shipped; a test fails when it no longer matches the zod schema, so
// run this (`pnpm manifest-schema`) after changing PluginManifestSchema.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const { manifestJsonSchema } = await import(new URL('../dist/index.js', import.meta.url).href);
const file = `${packageDir}manifest.schema.json`;
writeFileSync(file, `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
execFileSync(
  process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm',
  ['exec', 'biome', 'format', '--write', file],
  {
    cwd: packageDir,
    stdio: 'inherit',
  },
);
console.log(`wrote ${file}`);
