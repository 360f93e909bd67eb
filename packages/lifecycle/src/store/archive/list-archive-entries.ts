import { createReadStream } from 'node:fs';
import { Parser, type ReadEntry } from 'tar';
import { PluginArchiveInvalidError, PluginArchiveUnsafeError } from './archive-errors.js';
import type { ArchiveLimits } from './archive-limits.js';

/** One entry of an archive, as its header declares it. */
export interface ArchiveEntry {
  /** The path as written in the archive (`package/lib/index.js`). */
  readonly path: string;
  /** node-tar's type name: `File`, `Directory`, `SymbolicLink`, `Link`, `CharacterDevice`... */
  readonly type: string;
  /** Bytes of content; 0 for everything but files. */
  readonly size: number;
  /** The target of a symbolic or hard link. */
  readonly linkpath?: string;
}

const CONTENT_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/** Bytes an entry writes to disk: its size for files, 0 for the rest (whose size field means nothing). */
export function contentSize(entry: Pick<ReadEntry, 'type' | 'size'>): number {
  return CONTENT_TYPES.has(entry.type) ? entry.size : 0;
}

/**
 * Reads every header of a gzip (or plain) tar without writing anything, so the archive can be
 * judged as a whole before the first file is extracted.
 *
 * The limits are checked on each header as it is read, and reading stops at the first entry past
 * them: a zip bomb is refused after reading only as much of it as the limits allow.
 *
 * @throws {@link PluginArchiveInvalidError} when the file cannot be read or is not a gzip tar.
 * @throws {@link PluginArchiveUnsafeError} when the archive exceeds `limits`.
 */
export function listArchiveEntries(archive: string, limits: ArchiveLimits): Promise<ArchiveEntry[]> {
  const source = { kind: 'archive', path: archive } as const;
  return new Promise((resolve, reject) => {
    const entries: ArchiveEntry[] = [];
    let bytes = 0;
    let settled = false;
    const input = createReadStream(archive);
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      input.destroy();
      if (error === undefined) resolve(entries);
      else reject(error);
    };
    const record = (entry: ReadEntry) => {
      if (settled) return;
      entry.resume();
      const size = contentSize(entry);
      bytes += size;
      if (entries.length >= limits.maxEntries) {
        settle(
          new PluginArchiveUnsafeError(source, entry.path, 'too-many-entries', { limit: limits.maxEntries }),
        );
        return;
      }
      if (bytes > limits.maxBytes) {
        settle(new PluginArchiveUnsafeError(source, entry.path, 'too-large', { limit: limits.maxBytes }));
        return;
      }
      entries.push({
        path: entry.path,
        type: entry.type,
        size,
        ...(entry.linkpath === undefined ? {} : { linkpath: entry.linkpath }),
      });
    };
    // strict: a bad checksum, a truncated body or a broken gzip stream is an error, not a warning.
    const parser = new Parser({ strict: true, onReadEntry: record });
    // Entries of types node-tar does not extract never reach onReadEntry; they are listed anyway
    // so that the safety check sees (and refuses) them.
    parser.on('ignoredEntry', record);
    parser.on('error', (error: Error) =>
      settle(
        new PluginArchiveInvalidError(
          source,
          `it is not a readable gzip tar archive (${error.message})`,
          'Pass a .tgz made by `trellis plugins pack` or `npm pack`; if it was downloaded, download it again.',
          error,
        ),
      ),
    );
    parser.on('end', () => settle());
    input.on('error', (error: NodeJS.ErrnoException) =>
      settle(
        new PluginArchiveInvalidError(
          source,
          `the file cannot be read (${error.code ?? error.message})`,
          'Check the path and that the file is readable.',
          error,
        ),
      ),
    );
    // By hand rather than pipe(): node-tar's Parser is not a Node Writable, though it honours
    // write()'s backpressure contract.
    input.on('data', (chunk) => {
      if (!parser.write(chunk as Buffer)) input.pause();
    });
    parser.on('drain', () => input.resume());
    input.on('end', () => parser.end());
  });
}
