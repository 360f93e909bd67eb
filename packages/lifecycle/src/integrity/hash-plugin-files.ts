import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import pLimit from 'p-limit';
import { type FolderEntry, walkPluginFolder } from '../store/archive/walk-plugin-folder.js';
import { LINK_DIGEST_PREFIX, SIGNATURE_FILE } from './signature-file.js';

/**
 * Files hashed at once. Measured on 3,000 files of 1-2 KB on 2 cores: 1 at a time took 300-800 ms,
 * 4 about 200 ms, 16 about 150 ms, 32 no better; each file in flight holds a descriptor and 64 KB.
 */
const HASH_CONCURRENCY = 16;

/** Bytes read per call: one read covers most source files, and memory stays flat for big ones. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Everything a signature covers below a plugin folder: files and links, not folders or the
 * signature. With `shipped`, only what the plugin ships (see `walkPluginFolder`): what is signed
 * and digested; without, everything present: what is verified.
 */
export async function listSignedEntries(
  dir: string,
  options: { readonly shipped?: boolean } = {},
): Promise<FolderEntry[]> {
  const entries = await walkPluginFolder(dir, options);
  return entries.filter((entry) => entry.kind !== 'directory' && entry.path !== SIGNATURE_FILE);
}

/**
 * The SHA-256 of a file's content as lowercase hex, read in chunks so a large file costs no more
 * memory than a small one. A file handle and `read()` rather than a `ReadStream`: on 3,000 small
 * files a stream per file made verifying about 1.5× slower (300 ms against 200 ms).
 */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      hash.update(buffer.subarray(0, bytesRead));
      // A short read of a regular file is its end: skipping the read that would return 0 saves
      // a quarter of the system calls for a typical small file.
      if (bytesRead < CHUNK_BYTES) break;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/**
 * The digest a signature records for each entry: a file's SHA-256, or `link:<target>` for a
 * symbolic link. Devices, FIFOs and sockets get a digest no signature can hold, so they always
 * count as changed.
 *
 * @returns Path → digest, for the entries `include` accepts (default: all).
 */
export async function digestEntries(
  entries: readonly FolderEntry[],
  include: (entry: FolderEntry) => boolean = () => true,
): Promise<Map<string, string>> {
  const limit = pLimit(HASH_CONCURRENCY);
  const chosen = entries.filter(include);
  const digests = await Promise.all(chosen.map((entry) => limit(() => digestOf(entry))));
  return new Map(chosen.map((entry, index) => [entry.path, digests[index] as string]));
}

async function digestOf(entry: FolderEntry): Promise<string> {
  if (entry.kind === 'symlink') return `${LINK_DIGEST_PREFIX}${entry.target ?? ''}`;
  if (entry.kind === 'file') return hashFile(entry.absolute);
  return `${entry.kind}:`;
}
