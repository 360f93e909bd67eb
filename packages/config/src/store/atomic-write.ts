import { type AtomicWriteFileOptions, atomicWriteFile } from '@trellis/core';
import { ConfigWriteError } from '../errors.js';

/** Options for {@link writeFileAtomic}. */
export type WriteFileAtomicOptions = AtomicWriteFileOptions;

/**
 * Replaces `file` with `data` atomically: after a crash or a kill at any moment the file holds
 * either its old content or the new content, never a torn mix and never nothing.
 *
 * Writes a temp file in the same directory, fsyncs it, renames it over `file` and fsyncs the
 * directory. Creates the parent directory if missing. Keeps the existing file's mode unless
 * `options.mode` is given. See {@link atomicWriteFile} for the steps.
 *
 * @throws {@link ConfigWriteError} naming `file` when any step fails; the temp file is removed and
 * the previous `file` is left as it was.
 *
 * @example
 * ```ts
 * await writeFileAtomic('config/local.yaml', yamlText);
 * await writeFileAtomic('secrets/keys.json', keysJson, { mode: 0o600 });
 * ```
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  try {
    await atomicWriteFile(file, data, options);
  } catch (error) {
    throw new ConfigWriteError(file, error);
  }
}
