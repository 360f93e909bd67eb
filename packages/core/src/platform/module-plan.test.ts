import { describe, expect, it } from '@jest/globals';
import { createToken } from '../token.js';
import { LOGGER } from '../tokens.js';
import { defineModule, type ModuleDependency } from './module.js';
import { planModules } from './module-plan.js';

const token = (name: string) => createToken<unknown>(`@test/${name}.${name.toUpperCase()}`);

function mod(name: string, dependsOn: string[] = [], provides = [name]) {
  return defineModule({
    name,
    provides: provides.map(token),
    dependsOn: dependsOn.map(token) as ModuleDependency[],
    register: () => {},
  });
}

const nothingPreRegistered = () => false;

describe('planModules', () => {
  it('keeps registration order when there are no dependencies', () => {
    const plan = planModules([mod('a'), mod('b'), mod('c')], nothingPreRegistered);
    expect(plan.order.map((m) => m.name)).toEqual(['a', 'b', 'c']);
  });

  it('puts providers before their dependents', () => {
    const plan = planModules(
      [mod('web', ['db', 'cache']), mod('cache', ['db']), mod('db')],
      nothingPreRegistered,
    );
    expect(plan.order.map((m) => m.name)).toEqual(['db', 'cache', 'web']);
    expect(plan.providers.get(token('cache'))).toBe('cache');
  });

  it('ignores a module depending on a token it provides itself', () => {
    const plan = planModules([mod('self', ['self'])], nothingPreRegistered);
    expect(plan.order.map((m) => m.name)).toEqual(['self']);
  });

  it('accepts dependencies on pre-registered tokens', () => {
    const plan = planModules(
      [defineModule({ name: 'm', dependsOn: [LOGGER], register: () => {} })],
      (t) => t === LOGGER,
    );
    expect(plan.order).toHaveLength(1);
  });

  it('reports a cycle with its path', () => {
    expect(() =>
      planModules([mod('a', ['b']), mod('b', ['c']), mod('c', ['a'])], nothingPreRegistered),
    ).toThrow(expect.objectContaining({ code: 'PLATFORM_MODULE_CYCLE', cycle: ['a', 'b', 'c', 'a'] }));
  });

  it('reports only the modules in the cycle, not those before it', () => {
    const error = (() => {
      try {
        planModules([mod('root'), mod('x', ['root', 'y']), mod('y', ['x'])], nothingPreRegistered);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ cycle: ['x', 'y', 'x'] });
  });

  it('rejects two modules with one name', () => {
    expect(() => planModules([mod('a'), mod('a', [], ['other'])], nothingPreRegistered)).toThrow(
      expect.objectContaining({ code: 'PLATFORM_MODULE_DUPLICATE' }),
    );
  });

  it('rejects two providers of one token, naming both', () => {
    expect(() => planModules([mod('a', [], ['x']), mod('b', [], ['x'])], nothingPreRegistered)).toThrow(
      expect.objectContaining({
        code: 'PLATFORM_PROVIDER_CONFLICT',
        details: { token: '@test/x.X', modules: ['a', 'b'] },
      }),
    );
  });

  it('lists every missing dependency at once', () => {
    expect(() => planModules([mod('a', ['x']), mod('b', ['y'])], nothingPreRegistered)).toThrow(
      expect.objectContaining({
        code: 'PLATFORM_DEPENDENCY_MISSING',
        missing: [
          { token: '@test/x.X', neededBy: 'a', providedBy: 'a module from @test/x' },
          { token: '@test/y.Y', neededBy: 'b', providedBy: 'a module from @test/y' },
        ],
      }),
    );
  });

  it('plans 1,000 chained modules', () => {
    const modules = Array.from({ length: 1_000 }, (_, i) => mod(`m${i}`, i === 0 ? [] : [`m${i - 1}`]));
    const plan = planModules([...modules].reverse(), nothingPreRegistered);
    expect(plan.order.map((m) => m.name)).toEqual(modules.map((m) => m.name));
  });
});
