/** The prefix of environment variables that set configuration, unless another is given. */
export const DEFAULT_ENV_PREFIX = 'TRELLIS_';

/**
 * The environment-variable form of one path segment: camelCase and kebab-case become
 * UPPER_SNAKE_CASE (`ttlMs` → `TTL_MS`, `my-plugin` → `MY_PLUGIN`, `0` → `0`).
 */
export function envSegment(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/**
 * The environment variable that sets dotted `path`: segments in UPPER_SNAKE_CASE joined by `__`.
 *
 * @example
 * ```ts
 * envNameForPath('TRELLIS_', 'cache.ttlMs'); // 'TRELLIS_CACHE__TTL_MS'
 * ```
 */
export function envNameForPath(prefix: string, path: string): string {
  return `${prefix}${path.split('.').map(envSegment).join('__')}`;
}

/**
 * The form in which an environment segment and a schema key are compared: lower case with `_` and
 * `-` removed, so `TTL_MS`, `ttlMs`, `ttl_ms` and `ttl-ms` are all `ttlms`.
 */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}
