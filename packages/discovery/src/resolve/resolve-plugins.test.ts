import { describe, expect, it } from '@jest/globals';
import {
  PluginDependencyCycleError,
  PluginDependencyDisabledError,
  PluginDependencyMissingError,
  PluginPlatformIncompatibleError,
} from '../errors.js';
import { type ResolutionResult, type ResolveInput, resolvePlugins } from './resolve-plugins.js';

interface PluginOptions {
  readonly version?: string;
  readonly platform?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly location?: string;
}

function plugin(name: string, options: PluginOptions = {}): ResolveInput {
  return {
    manifest: {
      name,
      version: options.version ?? '1.0.0',
      platform: options.platform ?? '^0.1.0',
      dependencies: options.dependencies ?? {},
      optionalDependencies: options.optionalDependencies ?? {},
    },
    location: options.location ?? `plugins/${name}`,
  };
}

/** `plugin(name)` requiring each of `deps` at any version. */
function needs(name: string, ...deps: string[]): ResolveInput {
  return plugin(name, { dependencies: Object.fromEntries(deps.map((dep) => [dep, '*'])) });
}

const resolve = (inputs: readonly ResolveInput[], platformVersion = '0.1.0') =>
  resolvePlugins(inputs, { platformVersion });

function disabledOf(result: ResolutionResult, name: string) {
  const disabled = result.disabled.get(name);
  if (disabled === undefined) throw new Error(`${name} is not disabled`);
  return disabled;
}

/** The message without the `Fix:` sentence TrellisError appends. */
const withoutFix = (message: string) => message.replace(/ Fix: .*$/s, '');

describe('resolvePlugins', () => {
  describe('start waves', () => {
    it('starts plugins without dependencies in wave 0, sorted by name', () => {
      const result = resolve([plugin('c'), plugin('a'), plugin('b')]);
      expect(result.waves).toEqual([['a', 'b', 'c']]);
      expect(result.order).toEqual(['a', 'b', 'c']);
      expect(result.disabled.size).toBe(0);
      expect(result.warnings).toEqual([]);
    });

    it('puts each plugin one wave after its latest dependency', () => {
      const result = resolve([
        needs('e', 'd'),
        needs('d', 'b', 'c', 'a'),
        needs('c', 'a'),
        needs('b', 'a'),
        plugin('a'),
      ]);
      expect(result.waves).toEqual([['a'], ['b', 'c'], ['d'], ['e']]);
      expect(result.order).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    it('lists, for each enabled plugin, the plugins it starts after', () => {
      const result = resolve([needs('d', 'c', 'a'), needs('c', 'a'), plugin('a')]);
      expect(result.edges).toEqual(
        new Map([
          ['a', []],
          ['c', ['a']],
          ['d', ['a', 'c']],
        ]),
      );
      expect([...result.enabled.keys()]).toEqual(['a', 'c', 'd']);
      expect(result.enabled.get('c')?.location).toBe('plugins/c');
    });

    it('waits for an installed optional dependency', () => {
      const result = resolve([plugin('b', { optionalDependencies: { a: '^1.0.0' } }), plugin('a')]);
      expect(result.waves).toEqual([['a'], ['b']]);
      expect(result.edges.get('b')).toEqual(['a']);
    });

    it('lets a prerelease version satisfy a dependency range', () => {
      const result = resolve([
        plugin('b', { dependencies: { a: '^1.2' } }),
        plugin('a', { version: '1.3.0-dev.4' }),
      ]);
      expect(result.waves).toEqual([['a'], ['b']]);
    });
  });

  describe('platform', () => {
    it('disables a plugin whose platform range excludes this Trellis version', () => {
      const result = resolve([plugin('a', { platform: '^2.0.0' }), plugin('b')]);
      const disabled = disabledOf(result, 'a');
      expect(disabled.cause).toBe('platform');
      expect(disabled.reason).toBeInstanceOf(PluginPlatformIncompatibleError);
      expect(withoutFix(disabled.reason.message)).toBe(
        'Plugin "a" (plugins/a) supports platform ^2.0.0, but this is Trellis 0.1.0.',
      );
      expect(result.order).toEqual(['b']);
    });

    it('accepts a prerelease Trellis version inside the range', () => {
      const result = resolve([plugin('a', { platform: '^0.2.0' })], '0.2.1-beta.1');
      expect(result.order).toEqual(['a']);
    });

    it('disables a plugin whose platform range is not a semver range', () => {
      expect(disabledOf(resolve([plugin('a', { platform: 'latest' })]), 'a').cause).toBe('platform');
    });

    it('throws a TypeError when the Trellis version is not a semver version', () => {
      expect(() => resolve([plugin('a')], 'zero')).toThrow(TypeError);
    });
  });

  describe('required dependencies', () => {
    it('explains a dependency that is not installed', () => {
      const result = resolve([plugin('b', { version: '2.0.0', dependencies: { a: '^1.2' } })]);
      const disabled = disabledOf(result, 'b');
      expect(disabled.cause).toBe('missing');
      expect(disabled.reason).toBeInstanceOf(PluginDependencyMissingError);
      expect(disabled.reason.code).toBe('PLUGIN_DEPENDENCY_MISSING');
      expect(withoutFix(disabled.reason.message)).toBe(
        'b@2.0.0 needs a@^1.2, but no plugin "a" is installed.',
      );
      expect(disabled.reason.details).toEqual({
        plugin: 'b',
        location: 'plugins/b',
        unmet: [{ dependency: 'a', range: '^1.2', found: undefined }],
      });
    });

    it('explains a dependency installed at a version outside the range', () => {
      const result = resolve([
        plugin('b', { version: '2.0.0', dependencies: { a: '^1.2' } }),
        plugin('a', { version: '1.0.0' }),
      ]);
      const disabled = disabledOf(result, 'b');
      expect(disabled.cause).toBe('unsatisfied');
      expect(withoutFix(disabled.reason.message)).toBe('b@2.0.0 needs a@^1.2, found a@1.0.0 at plugins/a.');
      expect(result.order).toEqual(['a']);
    });

    it('explains every unmet dependency, in name order, with the cause of the first', () => {
      const result = resolve([
        plugin('c', { dependencies: { z: '^1.0.0', a: '^3.0.0' } }),
        plugin('a', { version: '2.0.0', location: 'vendor/a' }),
      ]);
      const disabled = disabledOf(result, 'c');
      expect(disabled.cause).toBe('unsatisfied');
      expect(withoutFix(disabled.reason.message)).toBe(
        'c@1.0.0 needs a@^3.0.0, found a@2.0.0 at vendor/a; c@1.0.0 needs z@^1.0.0, but no plugin "z" is installed.',
      );
    });

    it('treats a range that is not valid semver as unsatisfied', () => {
      const result = resolve([plugin('b', { dependencies: { a: 'not a range' } }), plugin('a')]);
      expect(disabledOf(result, 'b').cause).toBe('unsatisfied');
    });

    it('reports the platform before the dependencies of a plugin with both problems', () => {
      const result = resolve([plugin('b', { platform: '^9.0.0', dependencies: { a: '*' } })]);
      expect(disabledOf(result, 'b').cause).toBe('platform');
    });
  });

  describe('optional dependencies', () => {
    it('starts a plugin whose optional dependency is not installed', () => {
      const result = resolve([plugin('b', { optionalDependencies: { a: '^1.0.0' } })]);
      expect(result.order).toEqual(['b']);
      expect(result.edges.get('b')).toEqual([]);
      expect(result.warnings).toEqual([]);
    });

    it('starts a plugin whose optional dependency is disabled, without waiting for it', () => {
      const result = resolve([
        plugin('b', { optionalDependencies: { a: '^1.0.0' } }),
        plugin('a', { platform: '^5.0.0' }),
      ]);
      expect(result.waves).toEqual([['b']]);
      expect(result.edges.get('b')).toEqual([]);
      expect(disabledOf(result, 'a').cause).toBe('platform');
    });

    it('ignores, with a warning, an optional dependency installed at a version outside the range', () => {
      const result = resolve([
        plugin('b', { version: '2.0.0', optionalDependencies: { a: '^2.0.0' } }),
        plugin('a', { version: '1.0.0' }),
      ]);
      expect(result.waves).toEqual([['a', 'b']]);
      expect(result.warnings).toEqual([
        'b@2.0.0 can use a@^2.0.0, found a@1.0.0 at plugins/a; the optional dependency is ignored.',
      ]);
    });

    it('treats a dependency listed as both required and optional as required', () => {
      const result = resolve([
        plugin('b', { dependencies: { a: '^1.0.0' }, optionalDependencies: { a: '^9.0.0' } }),
        plugin('a'),
      ]);
      expect(result.edges.get('b')).toEqual(['a']);
      expect(result.warnings).toEqual([]);
    });

    it('keeps plugins on a cycle of optional dependencies, without waiting inside the cycle', () => {
      const result = resolve([
        plugin('metrics', { optionalDependencies: { http: '*' } }),
        plugin('http', { optionalDependencies: { metrics: '*' }, dependencies: { logger: '*' } }),
        plugin('logger'),
      ]);
      expect(result.disabled.size).toBe(0);
      expect(result.waves).toEqual([['logger', 'metrics'], ['http']]);
      expect(result.edges.get('http')).toEqual(['logger']);
      expect(result.warnings).toEqual([
        'Optional dependencies form a cycle: http → metrics → http; ' +
          'the optional dependencies inside it are not waited for.',
      ]);
    });

    it('still waits for the required side of a cycle closed by an optional dependency', () => {
      const result = resolve([needs('a', 'b'), plugin('b', { optionalDependencies: { a: '*' } })]);
      expect(result.waves).toEqual([['b'], ['a']]);
      expect(result.cycles).toEqual([]);
    });
  });

  describe('cycles', () => {
    it('disables a plugin that requires itself (a cycle of length 1)', () => {
      const result = resolve([needs('a', 'a'), plugin('b')]);
      const disabled = disabledOf(result, 'a');
      expect(disabled.cause).toBe('cycle');
      expect(disabled.reason).toBeInstanceOf(PluginDependencyCycleError);
      expect((disabled.reason as PluginDependencyCycleError).cycle).toEqual(['a', 'a']);
      expect(withoutFix(disabled.reason.message)).toBe('Plugins depend on each other in a cycle: a → a.');
      expect(result.cycles).toEqual([['a', 'a']]);
      expect(result.order).toEqual(['b']);
    });

    it('disables both plugins of a cycle of length 2', () => {
      const result = resolve([needs('b', 'a'), needs('a', 'b')]);
      expect(result.cycles).toEqual([['a', 'b', 'a']]);
      for (const name of ['a', 'b']) {
        expect(disabledOf(result, name).cause).toBe('cycle');
        expect((disabledOf(result, name).reason as PluginDependencyCycleError).cycle).toEqual([
          'a',
          'b',
          'a',
        ]);
      }
      expect(result.waves).toEqual([]);
    });

    it('reports a cycle of length 5 with its full path, from the smallest name', () => {
      const result = resolve([
        needs('c', 'd'),
        needs('e', 'a'),
        needs('a', 'b'),
        needs('d', 'e'),
        needs('b', 'c'),
      ]);
      const path = ['a', 'b', 'c', 'd', 'e', 'a'];
      expect(result.cycles).toEqual([path]);
      for (const name of ['a', 'b', 'c', 'd', 'e']) {
        expect((disabledOf(result, name).reason as PluginDependencyCycleError).cycle).toEqual(path);
      }
      expect(withoutFix(disabledOf(result, 'c').reason.message)).toBe(
        'Plugins depend on each other in a cycle: a → b → c → d → e → a.',
      );
    });

    it('shows each member of an entangled cycle a cycle it lies on', () => {
      const result = resolve([needs('a', 'b', 'c'), needs('b', 'a'), needs('c', 'a')]);
      expect(result.cycles).toEqual([
        ['a', 'b', 'a'],
        ['a', 'c', 'a'],
      ]);
      expect((disabledOf(result, 'c').reason as PluginDependencyCycleError).cycle).toEqual(['a', 'c', 'a']);
    });

    it('keeps what a cycle depends on, and disables what depends on it', () => {
      const result = resolve([needs('a', 'b', 'base'), needs('b', 'a'), plugin('base'), needs('app', 'b')]);
      expect(result.order).toEqual(['base']);
      expect(disabledOf(result, 'app').cause).toBe('dependency-disabled');
      expect(withoutFix(disabledOf(result, 'app').reason.message)).toBe(
        'Plugin "app" is disabled because its dependency "b" is: in a dependency cycle (a → b → a).',
      );
    });

    it('shortens a long cycle where dependents quote it', () => {
      const names = Array.from({ length: 20 }, (_, i) => `c${String(i).padStart(2, '0')}`);
      const ring = names.map((name, i) => needs(name, names[(i + 1) % names.length] as string));
      const result = resolve([...ring, needs('app', 'c05')]);
      expect(result.cycles[0]).toHaveLength(21);
      expect(withoutFix(disabledOf(result, 'app').reason.message)).toBe(
        'Plugin "app" is disabled because its dependency "c05" is: in a dependency cycle ' +
          '(c00 → c01 → c02 → c03 → c04 → … → c19 → c00, 20 plugins).',
      );
    });

    it('does not report a cycle through a plugin that is disabled on its own account', () => {
      const result = resolve([needs('a', 'b'), plugin('b', { dependencies: { a: '*', x: '*' } })]);
      expect(result.cycles).toEqual([]);
      expect(disabledOf(result, 'b').cause).toBe('missing');
      expect(disabledOf(result, 'a').cause).toBe('dependency-disabled');
    });
  });

  describe('disabling dependents', () => {
    it('disables dependents transitively through 3 levels, each with its reason', () => {
      const result = resolve([
        plugin('a', { dependencies: { x: '^1.0.0' } }),
        needs('b', 'a'),
        needs('c', 'b'),
        needs('d', 'c'),
        plugin('ok'),
      ]);
      expect(result.order).toEqual(['ok']);
      const missing = 'missing a dependency (a@1.0.0 needs x@^1.0.0, but no plugin "x" is installed)';
      expect(disabledOf(result, 'a').cause).toBe('missing');
      for (const [name, dependency, reason] of [
        ['b', 'a', `${missing}.`],
        ['c', 'b', `disabled because "a" is ${missing}.`],
        ['d', 'c', `disabled because "a" is ${missing}.`],
      ] as const) {
        const disabled = disabledOf(result, name);
        expect(disabled.cause).toBe('dependency-disabled');
        expect(disabled.reason).toBeInstanceOf(PluginDependencyDisabledError);
        expect(disabled.reason.details).toEqual({ plugin: name, dependency });
        expect(withoutFix(disabled.reason.message)).toBe(
          `Plugin "${name}" is disabled because its dependency "${dependency}" is: ${reason}`,
        );
      }
    });

    it('quotes the platform problem of the plugin that started the chain', () => {
      const result = resolve([plugin('a', { platform: '^3.0.0' }), needs('b', 'a')]);
      expect(withoutFix(disabledOf(result, 'b').reason.message)).toBe(
        'Plugin "b" is disabled because its dependency "a" is: incompatible with Trellis 0.1.0 (it supports platform ^3.0.0).',
      );
    });

    it('names the disabled dependency closest to the problem, the smaller name on a tie', () => {
      const result = resolve([
        plugin('x', { platform: '^9.0.0' }),
        needs('y', 'x'),
        plugin('w', { platform: '^9.0.0' }),
        needs('app', 'y', 'x', 'w'),
      ]);
      expect(disabledOf(result, 'app').reason.details).toEqual({ plugin: 'app', dependency: 'w' });
    });
  });

  describe('input', () => {
    it('uses the first of two plugins with one name and warns about the other', () => {
      const result = resolve([
        plugin('a', { version: '1.0.0', location: 'first/a' }),
        plugin('a', { version: '2.0.0', location: 'second/a' }),
      ]);
      expect(result.enabled.get('a')?.location).toBe('first/a');
      expect(result.warnings).toEqual(['Plugin "a" is listed twice: first/a is used, second/a is ignored.']);
    });

    it('gives the same result whatever the input order', () => {
      const inputs = [
        needs('app', 'http', 'db'),
        needs('http', 'logger'),
        needs('db', 'logger'),
        plugin('logger'),
        plugin('metrics', { optionalDependencies: { http: '*', db: '^2.0.0' } }),
        needs('loop1', 'loop2'),
        needs('loop2', 'loop1'),
        plugin('old', { platform: '^0.0.1' }),
        needs('uses-old', 'old'),
        plugin('broken', { dependencies: { nowhere: '*', logger: '^5' } }),
      ];
      const summary = (result: ResolutionResult) => ({
        waves: result.waves,
        order: result.order,
        edges: [...result.edges],
        cycles: result.cycles,
        warnings: result.warnings,
        disabled: [...result.disabled].map(([name, d]) => [name, d.cause, d.reason.message]),
      });
      const expected = summary(resolve(inputs));
      expect(summary(resolve([...inputs].reverse()))).toEqual(expected);
      expect(summary(resolve([...inputs.slice(4), ...inputs.slice(0, 4)]))).toEqual(expected);
      expect(expected.waves).toEqual([['logger'], ['db', 'http'], ['app', 'metrics']]);
    });

    it('resolves a 10,000-plugin chain without running out of stack', () => {
      const name = (i: number) => `p${String(i).padStart(5, '0')}`;
      const chain = Array.from({ length: 10_000 }, (_, i) =>
        i === 0 ? plugin(name(0)) : needs(name(i), name(i - 1)),
      );
      const result = resolve(chain);
      expect(result.waves).toHaveLength(10_000);
      expect(result.waves[9_999]).toEqual([name(9_999)]);
    });

    it('finds a 10,000-plugin cycle without running out of stack', () => {
      const name = (i: number) => `p${String(i).padStart(5, '0')}`;
      const ring = Array.from({ length: 10_000 }, (_, i) => needs(name(i), name((i + 1) % 10_000)));
      const result = resolve(ring);
      expect(result.disabled.size).toBe(10_000);
      expect(result.cycles[0]).toHaveLength(10_001);
    });
  });
});
