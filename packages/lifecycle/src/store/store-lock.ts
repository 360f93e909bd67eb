import { open, readFile, rm } from 'node:fs/promises';
import { PluginStoreLockedError } from './store-errors.js';

/**
 * Takes the store's lock file for one operation (exclusive create, holding this pid). A lock left
 * by a process that no longer exists (killed mid-operation) is taken over.
 * @returns A function that releases it.
 * @throws {@link PluginStoreLockedError} when a live process holds it.
 */
export async function acquireStoreLock(file: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => void (await rm(file, { force: true }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new PluginStoreLockedError(file, holder);
      }
      await rm(file, { force: true });
    }
  }
  /* c8 ignore next -- a third process racing the take-over */
  throw new PluginStoreLockedError(file, -1);
}

/** True when process `pid` exists (`EPERM`: it does, owned by another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
