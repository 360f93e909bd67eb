import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuntimeStartError } from '../errors.js';

/**
 * The root of `@trellis/lifecycle`: the nearest folder above this file with a package.json.
 * Works from `dist/` and from `src/` (under Jest), which are at the same depth.
 */
export function lifecyclePackageRoot(): string {
  // Found once: every worker and process load asks for it.
  packageRoot ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return packageRoot;
}

let packageRoot: string | undefined;

function findPackageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new RuntimeStartError(
        '(any)',
        'worker or process',
        `no package.json above ${from}: the @trellis/lifecycle install is incomplete`,
      );
    }
    dir = parent;
  }
  return dir;
}

/**
 * The compiled plugin-side entry `file` (e.g. `worker-main.js`) under `dist/runtime/child/`.
 * Worker threads and child processes run it from `dist/` even in development, since Node cannot
 * run the TypeScript sources.
 * @throws `PLUGIN_RUNTIME_START_FAILED` when the package has not been built.
 */
export function childBootstrap(plugin: string, runtime: string, file: string): string {
  const path = join(lifecyclePackageRoot(), 'dist', 'runtime', 'child', file);
  if (!existsSync(path)) {
    throw new RuntimeStartError(
      plugin,
      runtime,
      `the plugin-side bootstrap ${path} does not exist; build @trellis/lifecycle first (pnpm --filter @trellis/lifecycle build)`,
    );
  }
  return path;
}
