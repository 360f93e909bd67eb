import { mkdir, mkdtemp, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type InstallSource, PluginArchiveInvalidError } from './archive-errors.js';

/**
 * A private folder beside the destination that an install writes into, so the destination only
 * ever appears complete: {@link InstallStaging.commit} renames the content into place in one step
 * and {@link InstallStaging.discard} removes everything written, whatever failed.
 */
export class InstallStaging {
  private constructor(
    private readonly source: InstallSource,
    /** The destination, resolved. */
    readonly destination: string,
    /** The staging folder to write into. */
    readonly dir: string,
    private readonly destinationExisted: boolean,
  ) {}

  /**
   * Checks the destination is absent or an empty folder, then creates the staging folder beside
   * it (same file system, so the final rename cannot turn into a copy).
   *
   * @throws {@link PluginArchiveInvalidError} when the destination holds anything.
   */
  static async open(source: InstallSource, destDir: string): Promise<InstallStaging> {
    const destination = resolve(destDir);
    const existed = await checkEmptyDestination(source, destination);
    await mkdir(dirname(destination), { recursive: true });
    const dir = await mkdtemp(join(dirname(destination), `.${basename(destination)}.staging-`));
    return new InstallStaging(source, destination, dir, existed);
  }

  /** Moves `content` (the staging folder or a folder inside it) to the destination. */
  async commit(content: string): Promise<void> {
    try {
      // rename() cannot replace a folder on every platform, even an empty one.
      if (this.destinationExisted) await rmdir(this.destination);
      await rename(content, this.destination);
    } catch (error) {
      throw new PluginArchiveInvalidError(
        this.source,
        `it could not be moved into ${this.destination} (${(error as NodeJS.ErrnoException).code ?? error})`,
        'Make sure nothing else writes to the destination during the install, then try again.',
        error,
      );
    }
    if (content !== this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  /** Removes everything written so far; the destination is left as it was found. */
  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function checkEmptyDestination(source: InstallSource, destination: string): Promise<boolean> {
  let children: string[];
  try {
    children = await readdir(destination);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    throw new PluginArchiveInvalidError(
      source,
      `the destination ${destination} is not a folder it can write to (${code ?? error})`,
      'Pass a destination folder that does not exist yet, or an empty one.',
      error,
    );
  }
  if (children.length === 0) return true;
  throw new PluginArchiveInvalidError(
    source,
    `the destination ${destination} is not empty (it holds ${children.length} entries)`,
    'Pass a destination folder that does not exist yet, or an empty one; remove the old content first if it is stale.',
  );
}
