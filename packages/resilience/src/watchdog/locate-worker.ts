import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WatchdogWorkerNotFoundError } from './watchdog-errors.js';

/**
 * The compiled watchdog worker: `dist/watchdog/watchdog-worker.js` of the package this file
 * belongs to, found by walking up to the nearest package.json. That works from `src` (tests run
 * the TypeScript sources, but a worker thread needs real JavaScript) and from `dist` alike.
 */
export function locateWatchdogWorker(from: string = import.meta.url): string {
  let dir = dirname(from.startsWith('file:') ? fileURLToPath(from) : from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const worker = join(dir, 'dist', 'watchdog', 'watchdog-worker.js');
      if (!existsSync(worker)) throw new WatchdogWorkerNotFoundError(worker);
      return worker;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new WatchdogWorkerNotFoundError(
        join('<no package.json above>', 'dist/watchdog/watchdog-worker.js'),
      );
    dir = parent;
  }
}
