const MAX_SHOWN = 60;

/**
 * A short description of a JSON value for "got ..." in manifest problems: strings quoted and cut
 * at 60 characters, numbers and booleans as written, objects and arrays by kind only.
 *
 * @example
 * ```ts
 * describeValue('one'); // '"one"'
 * describeValue([1, 2]); // 'an array'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  switch (typeof value) {
    case 'string': {
      const shown = JSON.stringify(value);
      return shown.length <= MAX_SHOWN ? shown : `${shown.slice(0, MAX_SHOWN - 2)}…"`;
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
