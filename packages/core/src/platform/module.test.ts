import { describe, expect, it } from '@jest/globals';
import { LOGGER } from '../tokens.js';
import { assertModule, defineModule, dependencyToken, optional } from './module.js';

describe('defineModule', () => {
  it('returns the module frozen', () => {
    const module = defineModule({ name: 'm', register: () => {} });
    expect(Object.isFrozen(module)).toBe(true);
  });

  it.each([
    [null, 'not an object'],
    [{ name: '', register: () => {} }, '"name" must be a non-empty string'],
    [{ name: 'm' }, '"register" must be a function'],
    [{ name: 'm', register: () => {}, start: 1 }, '"start" must be a function'],
    [{ name: 'm', register: () => {}, stop: 'x' }, '"stop" must be a function'],
    [{ name: 'm', register: () => {}, provides: 'x' }, '"provides" must be an array'],
    [{ name: 'm', register: () => {}, provides: ['x'] }, '"provides" must hold tokens'],
    [{ name: 'm', register: () => {}, dependsOn: [{}] }, '"dependsOn" must hold tokens'],
  ])('rejects %p: %s', (value, problem) => {
    expect(() => assertModule(value)).toThrow(
      expect.objectContaining({ code: 'PLATFORM_MODULE_INVALID', message: expect.stringContaining(problem) }),
    );
  });

  it('accepts optional dependencies', () => {
    expect(() =>
      defineModule({ name: 'm', dependsOn: [optional(LOGGER)], register: () => {} }),
    ).not.toThrow();
  });
});

describe('dependencyToken', () => {
  it('unwraps optional dependencies', () => {
    expect(dependencyToken(optional(LOGGER))).toBe(LOGGER);
    expect(dependencyToken(LOGGER)).toBe(LOGGER);
  });
});
