/** True for `{}`-style objects (object literals, `JSON.parse` output, null-prototype objects); false for arrays, class instances and primitives. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Sets an own enumerable property. Unlike `target[key] = value`, a key such as `__proto__` from a
 * config file becomes an ordinary property instead of replacing the object's prototype.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The own property `key` of `target`, ignoring inherited members such as `constructor`. */
export function getOwn(target: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}
