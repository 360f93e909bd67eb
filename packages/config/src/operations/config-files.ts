import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { configFileFormat } from '../sources/parse-config-text.js';

/** True for the name of a config file in a config folder: `*.yaml`, `*.yml` or `*.json`, not hidden, no folders. */
export function isConfigFileName(name: string): boolean {
  return !name.startsWith('.') && !/[\\/]/.test(name) && configFileFormat(name) !== undefined;
}

/**
 * The text of every config file directly in `dir` (see {@link isConfigFileName}), by file name
 * in name order. Symbolic links to files count. Empty when `dir` does not exist. The `.env`
 * file is not a config file: it holds local secrets in plaintext and is never read here.
 */
export async function readConfigFiles(dir: string): Promise<Record<string, string>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const files: Record<string, string> = {};
  for (const name of names.filter(isConfigFileName).sort()) {
    const file = join(dir, name);
    if (!(await stat(file)).isFile()) continue;
    files[name] = await readFile(file, 'utf8');
  }
  return files;
}
