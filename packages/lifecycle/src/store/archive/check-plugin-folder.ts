import { type InstallSource, PluginArchiveUnsafeError } from './archive-errors.js';
import { findEscapingLink } from './find-escaping-link.js';
import { type FolderEntry, walkPluginFolder } from './walk-plugin-folder.js';

/**
 * Lists a plugin folder and refuses it when it holds what an installed plugin must not: a
 * symbolic link leading outside the folder, or a device, FIFO or socket.
 *
 * @throws {@link PluginArchiveUnsafeError} naming the first such entry.
 */
export async function checkPluginFolder(source: InstallSource, folder: string): Promise<FolderEntry[]> {
  const entries = await walkPluginFolder(folder, { shipped: true });
  const special = entries.find((entry) => entry.kind === 'other');
  if (special !== undefined) {
    throw new PluginArchiveUnsafeError(source, special.path, 'device', { type: 'device, FIFO or socket' });
  }
  const escaping = findEscapingLink(entries);
  if (escaping !== undefined) {
    throw new PluginArchiveUnsafeError(source, escaping.path, 'link-escape', { target: escaping.target });
  }
  return entries;
}
