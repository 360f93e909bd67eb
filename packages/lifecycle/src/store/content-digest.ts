import { createHash } from 'node:crypto';
import { digestEntries, listSignedEntries } from '../integrity/hash-plugin-files.js';

/**
 * One SHA-256 over a plugin folder's sorted file digests (the signature file excluded): equal for
 * equal content wherever the folder lives, so a plan can tell a changed source without a new
 * version from an unchanged one.
 */
export async function contentDigest(dir: string): Promise<string> {
  const files = await digestEntries(await listSignedEntries(dir, { shipped: true }));
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) hash.update(`${path}\0${files.get(path)}\n`);
  return hash.digest('hex');
}
