import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** How Node evaluates a plugin's entry file. */
export type EntryFormat = 'esm' | 'commonjs';

/**
 * The module format Node gives `file`: `.mjs` is ESM, `.cjs` is CommonJS, and any other
 * extension follows the `"type"` field of the nearest `package.json` (CommonJS when it has none,
 * or there is none up to a `node_modules` folder or the file-system root, as in Node).
 */
export async function entryFormat(file: string): Promise<EntryFormat> {
  const extension = extname(file);
  if (extension === '.mjs' || extension === '.mts') return 'esm';
  if (extension === '.cjs' || extension === '.cts') return 'commonjs';
  for (let dir = dirname(file); basename(dir) !== 'node_modules'; dir = dirname(dir)) {
    const type = await packageType(join(dir, 'package.json'));
    if (type !== undefined) return type === 'module' ? 'esm' : 'commonjs';
    if (dirname(dir) === dir) break;
  }
  return 'commonjs';
}

/** The manifest's `"type"` (`''` without one), or `undefined` when there is no readable manifest. */
async function packageType(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const manifest: unknown = JSON.parse(text);
    const type =
      typeof manifest === 'object' && manifest !== null ? (manifest as { type?: unknown }).type : undefined;
    return typeof type === 'string' ? type : '';
  } catch {
    // Node refuses an unparsable package.json when it loads the file; that error is the one to report.
    return '';
  }
}
