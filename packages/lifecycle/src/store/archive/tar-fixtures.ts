// Test support: archives written header by header, so tests can make the malicious archives that
// no well-behaved packer (node-tar's own included) would ever produce.
import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { Header, type types } from 'tar';

/** One entry of a {@link rawTar} archive. */
export interface RawTarEntry {
  /** Written as is: `../x`, `/etc/x` and `C:\x` included. */
  readonly path: string;
  /** Default `File`. */
  readonly type?: types.EntryTypeName;
  /** File content. */
  readonly body?: string | Buffer;
  /** Target of a `SymbolicLink` or `Link`. */
  readonly linkpath?: string;
  /** Permission bits; default 0o644 for files, 0o755 otherwise. */
  readonly mode?: number;
}

const BLOCK = 512;

/** An uncompressed tar holding exactly `entries`, in order, with no sanitising. */
export function rawTar(entries: readonly RawTarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const type = entry.type ?? 'File';
    const body = Buffer.from(entry.body ?? '');
    const header = Buffer.alloc(BLOCK);
    new Header({
      path: entry.path,
      type,
      size: body.length,
      mode: entry.mode ?? (type === 'File' ? 0o644 : 0o755),
      uid: 0,
      gid: 0,
      mtime: new Date(0),
      ...(entry.linkpath === undefined ? {} : { linkpath: entry.linkpath }),
    }).encode(header, 0);
    blocks.push(header, body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(blocks);
}

/** Writes {@link rawTar}`(entries)` gzipped to `file`. */
export async function writeRawArchive(file: string, entries: readonly RawTarEntry[]): Promise<string> {
  await writeFile(file, gzipSync(rawTar(entries)));
  return file;
}
