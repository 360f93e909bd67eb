import { type InstallSource, PluginArchiveUnsafeError } from './archive-errors.js';
import { hasParentSegment, isAbsoluteEntryPath, nameSegments, pathKey } from './entry-path.js';
import type { ArchiveEntry } from './list-archive-entries.js';
import { resolveLinkTarget } from './resolve-link.js';

/** What {@link checkArchiveEntries} learnt about a safe archive. */
export interface ArchiveLayout {
  /**
   * The one folder every entry sits in (`package` for `npm pack`), whose content is the plugin;
   * `undefined` when the plugin's files are at the archive's top level.
   */
  readonly rootFolder: string | undefined;
}

const REGULAR = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);
const DEVICES = new Set(['CharacterDevice', 'BlockDevice', 'FIFO']);

/**
 * Judges a whole archive listing before anything is written: every entry must stay inside the
 * plugin folder, whatever links the archive also creates.
 *
 * Symbolic link targets are resolved from the link's own folder, hard link targets (which tar
 * writes relative to the archive root) from the root; both follow the archive's other symbolic
 * links, so a chain of links that individually look harmless cannot climb out.
 *
 * @throws {@link PluginArchiveUnsafeError} naming the first unsafe entry: an absolute path, a `..`
 *   segment, a link escaping the plugin folder, an entry inside a symbolic link, a device or FIFO,
 *   or a type tar cannot extract.
 */
export function checkArchiveEntries(source: InstallSource, entries: readonly ArchiveEntry[]): ArchiveLayout {
  for (const entry of entries) checkEntryOwnPath(source, entry);
  const rootFolder = findRootFolder(entries);
  const below = (segments: string[]) => (rootFolder === undefined ? segments : segments.slice(1));

  const links = new Map<string, string>();
  for (const entry of entries) {
    if (entry.type === 'SymbolicLink')
      links.set(pathKey(below(nameSegments(entry.path))), entry.linkpath ?? '');
  }

  for (const entry of entries) {
    const segments = below(nameSegments(entry.path));
    for (let depth = 1; depth < segments.length; depth += 1) {
      const target = links.get(pathKey(segments.slice(0, depth)));
      if (target !== undefined)
        throw new PluginArchiveUnsafeError(source, entry.path, 'through-link', { target });
    }
    if (entry.type === 'SymbolicLink') checkSymbolicLink(source, entry, segments, links);
    if (entry.type === 'Link') checkHardLink(source, entry, rootFolder, links);
  }
  return { rootFolder };
}

function checkEntryOwnPath(source: InstallSource, entry: ArchiveEntry): void {
  if (isAbsoluteEntryPath(entry.path))
    throw new PluginArchiveUnsafeError(source, entry.path, 'absolute-path');
  if (hasParentSegment(entry.path)) throw new PluginArchiveUnsafeError(source, entry.path, 'parent-segment');
  if (DEVICES.has(entry.type)) {
    throw new PluginArchiveUnsafeError(source, entry.path, 'device', { type: entry.type });
  }
  if (!REGULAR.has(entry.type)) {
    throw new PluginArchiveUnsafeError(source, entry.path, 'unsupported-type', { type: entry.type });
  }
}

function checkSymbolicLink(
  source: InstallSource,
  entry: ArchiveEntry,
  segments: string[],
  links: ReadonlyMap<string, string>,
): void {
  const target = entry.linkpath ?? '';
  if (resolveLinkTarget(segments.slice(0, -1), target, links) === undefined) {
    throw new PluginArchiveUnsafeError(source, entry.path, 'link-escape', { target });
  }
}

function checkHardLink(
  source: InstallSource,
  entry: ArchiveEntry,
  rootFolder: string | undefined,
  links: ReadonlyMap<string, string>,
): void {
  const target = entry.linkpath ?? '';
  const segments = nameSegments(target);
  const inRoot = rootFolder === undefined || segments[0] === rootFolder;
  if (isAbsoluteEntryPath(target) || !inRoot) {
    throw new PluginArchiveUnsafeError(source, entry.path, 'link-escape', { target });
  }
  // node-tar refuses any `..` in a hard link target, even one that stays inside.
  if (hasParentSegment(target)) throw new PluginArchiveUnsafeError(source, entry.path, 'parent-segment');
  const below = rootFolder === undefined ? segments : segments.slice(1);
  if (resolveLinkTarget([], below.join('/'), links) === undefined) {
    throw new PluginArchiveUnsafeError(source, entry.path, 'link-escape', { target });
  }
}

/**
 * The single top-level folder holding every entry, if there is one: `npm pack` puts everything
 * under `package/`, GitHub tarballs under `<repo>-<sha>/`. An entry at the top level that is not
 * that folder means the plugin's files are at the top level themselves.
 */
function findRootFolder(entries: readonly ArchiveEntry[]): string | undefined {
  let folder: string | undefined;
  let nested = false;
  for (const entry of entries) {
    const segments = nameSegments(entry.path);
    const [first] = segments;
    // `./` names the extraction folder itself: it neither has nor breaks a common folder.
    if (first === undefined) continue;
    if (folder === undefined) folder = first;
    if (first !== folder) return undefined;
    if (segments.length === 1 && entry.type !== 'Directory') return undefined;
    if (segments.length > 1) nested = true;
  }
  return nested ? folder : undefined;
}
