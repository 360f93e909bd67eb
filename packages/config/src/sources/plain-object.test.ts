import { describe, expect, it } from '@jest/globals';
import { getOwn, isPlainObject, setOwn } from './plain-object.js';

describe('isPlainObject', () => {
  it('accepts literals, JSON output and null-prototype objects', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(JSON.parse('{"a":1}'))).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
  });

  it('rejects arrays, class instances, null and primitives', () => {
    for (const value of [[], new Date(), new Map(), null, undefined, 1, 'x'])
      expect(isPlainObject(value)).toBe(false);
  });
});

describe('setOwn and getOwn', () => {
  it('treat __proto__ and inherited names as ordinary keys', () => {
    const target: Record<string, unknown> = {};
    setOwn(target, '__proto__', 1);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(getOwn(target, '__proto__')).toBe(1);
    expect(getOwn({}, 'constructor')).toBeUndefined();
  });
});
