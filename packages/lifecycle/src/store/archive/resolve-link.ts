import { isAbsoluteEntryPath, pathKey, pathSegments } from './entry-path.js';

/** Symbolic links met on the way are followed at most this many times, as Linux's `ELOOP` limit. */
const MAX_HOPS = 40;

/**
 * Resolves `target` from the folder `from` inside a tree known only by its symbolic links (keyed by
 * {@link pathKey}), following links met on the way as the file system would, so `a/l/..` goes to
 * the parent of what `a/l` points to rather than back to `a`.
 *
 * Resolving on paths alone is what lets an archive be judged before anything is written.
 *
 * @returns The segments of the resolved path below the root, or `undefined` when the target is
 *   absolute, climbs above the root at any step, or loops.
 */
export function resolveLinkTarget(
  from: readonly string[],
  target: string,
  links: ReadonlyMap<string, string>,
): string[] | undefined {
  if (isAbsoluteEntryPath(target)) return undefined;
  const current = [...from];
  const pending = pathSegments(target);
  let hops = 0;
  while (pending.length > 0) {
    const segment = pending.shift() as string;
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (current.length === 0) return undefined;
      current.pop();
      continue;
    }
    current.push(segment);
    const link = links.get(pathKey(current));
    if (link === undefined) continue;
    hops += 1;
    if (hops > MAX_HOPS || isAbsoluteEntryPath(link)) return undefined;
    // A link's target is relative to the folder holding the link.
    current.pop();
    pending.unshift(...pathSegments(link));
  }
  return current;
}
