const GLOB_MAGIC = /[*?]/;

/** True when a path or path segment holds a glob wildcard (`*`, `**` or `?`). */
export function hasGlobMagic(pattern: string): boolean {
  return GLOB_MAGIC.test(pattern);
}

/**
 * Compiles a glob over `/`-separated relative paths to a RegExp: `*` matches within one segment,
 * `?` one character of a segment, `**` any number of whole segments (none included). A trailing
 * `/**` also matches the folder itself, so the default ignore of `node_modules` folders matches
 * `a/node_modules` and not only what is inside it.
 *
 * @example
 * ```ts
 * compileGlob('plugins/*').test('plugins/a'); // true
 * compileGlob('plugins/*').test('plugins/a/b'); // false
 * ```
 */
export function compileGlob(pattern: string): RegExp {
  const segments = pattern.split('/').filter((segment, i) => segment !== '' || i === 0);
  let source = '';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') {
      if (last) source += i === 0 ? '.*' : '(?:/.*)?';
      else source += i === 0 ? '(?:[^/]+/)*' : '(?:/[^/]+)*/';
      return;
    }
    const separator = i === 0 || segments[i - 1] === '**' ? '' : '/';
    source += separator + segmentSource(segment);
  });
  return new RegExp(`^${source}$`);
}

/** Compiles one path segment of a glob (no `/`) to a RegExp matching a whole file name. */
export function compileGlobSegment(segment: string): RegExp {
  return new RegExp(`^${segmentSource(segment)}$`);
}

function segmentSource(segment: string): string {
  let source = '';
  for (const char of segment) {
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return source;
}
