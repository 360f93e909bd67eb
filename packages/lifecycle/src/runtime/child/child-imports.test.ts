// This folder runs inside worker threads and sandboxed child processes, where only it (and the
// import-free permission rules) may be read: any other runtime import would fail there.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const dir = dirname(fileURLToPath(import.meta.url));
const ALLOWED_OUTSIDE = new Set(['../../permissions/permission-rules.js']);

describe('plugin-side code', () => {
  const files = readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));

  it.each(files)('%s imports only Node builtins and its own folder at run time', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const runtimeImports = [...source.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map(
      (m) => m[1],
    );
    const wrong = runtimeImports.filter(
      (spec) =>
        !spec?.startsWith('node:') &&
        !/^\.\/[\w-]+\.js$/.test(spec ?? '') &&
        !ALLOWED_OUTSIDE.has(spec ?? ''),
    );
    expect(wrong).toEqual([]);
  });
});
