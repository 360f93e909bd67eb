#!/usr/bin/env node
// Fails when an exported declaration in a package's sources has no TSDoc comment (`/** ... */`)
// directly above it. Biome has no such rule; this keeps "every exported symbol is documented"
// checked in CI rather than remembered. Re-exports (`export { x } from`) are not declarations.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const DECLARATION =
  /^export\s+(?:declare\s+)?(?:abstract\s+)?(const|let|function|async\s+function|class|interface|type|enum)\s+([\w$]+)/;

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(entry.name)) yield path;
  }
}

const srcDirs = ['packages', 'apps'].flatMap((group) => {
  try {
    return readdirSync(join(root, group), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(root, group, d.name, 'src'));
  } catch {
    return [];
  }
});

const missing = [];
for (const dir of srcDirs) {
  let files;
  try {
    files = [...sourceFiles(dir)];
  } catch {
    continue;
  }
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const match = DECLARATION.exec(line);
      if (!match) return;
      let above = i - 1;
      while (above >= 0 && lines[above].trim().startsWith('@')) above -= 1; // decorators
      if (!lines[above]?.trim().endsWith('*/'))
        missing.push(`${relative(root, file)}:${i + 1}  ${match[1]} ${match[2]}`);
    });
  }
}

if (missing.length > 0) {
  console.error(`Exported declarations without a TSDoc comment (add /** one-line summary */ above each):`);
  for (const entry of missing) console.error(`  ${entry}`);
  process.exit(1);
}
console.log('tsdoc: every exported declaration is documented');
