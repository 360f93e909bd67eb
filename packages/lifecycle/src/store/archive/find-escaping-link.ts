import { nameSegments, pathKey } from './entry-path.js';
import { resolveLinkTarget } from './resolve-link.js';
import type { FolderEntry } from './walk-plugin-folder.js';

/** A symbolic link that points outside its plugin folder. */
export interface EscapingLink {
  /** The link's path below the plugin folder. */
  readonly path: string;
  /** Its target as stored. */
  readonly target: string;
}

/**
 * The first symbolic link in a {@link walkPluginFolder} listing whose target leaves the folder:
 * absolute, climbing above the folder, or reaching out through other links of the folder.
 */
export function findEscapingLink(entries: readonly FolderEntry[]): EscapingLink | undefined {
  const links = new Map<string, string>();
  for (const entry of entries) {
    if (entry.kind === 'symlink') links.set(pathKey(nameSegments(entry.path)), entry.target ?? '');
  }
  for (const entry of entries) {
    if (entry.kind !== 'symlink') continue;
    const target = entry.target ?? '';
    if (resolveLinkTarget(nameSegments(entry.path).slice(0, -1), target, links) === undefined) {
      return { path: entry.path, target };
    }
  }
  return undefined;
}
