// This module imports only `node:*` built-ins and uses only erasable TypeScript syntax, so a plain
// `node` process can import the `.ts` file directly (Node strips the types): the kill test runs it
// in a child process without a build. Packages wrap its errors in their own (config: `ConfigWriteError`).
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Options for {@link atomicWriteFile}. */
export interface AtomicWriteFileOptions {
  /** Permission bits of the written file; defaults to the existing file's, or `0o666` less the umask. */
  readonly mode?: number;
}

/** Error codes from a directory fsync that mean "this platform or file system cannot do that". */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'EPERM']);

/**
 * Writes `data` to `file` so that, even if the process is killed or the machine loses power, the
 * file holds either its old content or the new content, never a mix.
 *
 * Writes a unique temp file beside the target (`.<name>.<pid>.<random>.tmp`), fsyncs it, renames
 * it over the target, then fsyncs the directory so the rename itself is durable. On failure the
 * temp file is removed and the underlying error is rethrown unchanged; use
 * `@trellis/config`'s `writeFileAtomic` for an error that names the file. Creates the parent directory if missing.
 */
export async function atomicWriteFile(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteFileOptions = {},
): Promise<void> {
  const target = resolve(file);
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    await mkdir(dir, { recursive: true });
    const mode = options.mode ?? (await existingMode(target));
    // Owner-only until the final mode is set, so secrets are never briefly readable by others.
    handle = await open(temp, 'wx', mode === undefined ? 0o666 : 0o600);
    // An explicit chmod, because the mode given to open() is reduced by the umask.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
    await syncDirectory(dir);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Flushes a directory's entries (a rename into it, say) to disk. A no-op on platforms and file
 * systems that cannot fsync a directory (`EISDIR`, `EINVAL`, `EPERM`); other errors are thrown.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!DIRECTORY_SYNC_UNSUPPORTED.has(errorCode(error))) throw error;
  } finally {
    await handle?.close();
  }
}

/** The permission bits of `file`, or `undefined` when it does not exist. */
async function existingMode(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o7777;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function errorCode(error: unknown): string {
  // Not `instanceof Error`: errors from another realm (a vm context, Jest) fail that test.
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}
