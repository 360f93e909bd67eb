// Tar paths and link targets come from untrusted archives and are checked as written, before any
// platform rewrites them: `\` counts as a separator because Windows extracts it as one.

/** The segments of an archive path or link target, split on both `/` and `\`. */
export function pathSegments(path: string): string[] {
  return path.split(/[\\/]/);
}

/** True for `/x`, `\x`, `\\server\share` and drive paths such as `C:\x` or `C:x`. */
export function isAbsoluteEntryPath(path: string): boolean {
  return /^[\\/]/.test(path) || /^[a-zA-Z]:/.test(path);
}

/** True when any segment of `path` is `..`. */
export function hasParentSegment(path: string): boolean {
  return pathSegments(path).includes('..');
}

/** The segments that name something: without the empty and `.` ones (`./a//b/` → `a`, `b`). */
export function nameSegments(path: string): string[] {
  return pathSegments(path).filter((segment) => segment !== '' && segment !== '.');
}

/**
 * A comparison key for a path: case-insensitive and Unicode-normalised, because macOS and Windows
 * file systems treat `Link/x` and `link/x` (or NFC and NFD spellings) as the same place.
 */
export function pathKey(segments: readonly string[]): string {
  return segments.join('/').normalize('NFC').toLowerCase();
}
