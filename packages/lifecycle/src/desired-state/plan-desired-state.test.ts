import { describe, expect, it } from '@jest/globals';
import {
  actionLines,
  desiredOf,
  digestOf,
  FIXTURE_FILE,
  installedPlugin,
  sourceOf,
  sourcePath,
  want,
  wantSource,
} from './desired-state-fixtures.js';
import type { DesiredSourceManifest, InstalledPluginState } from './desired-state-plan.js';
import type { DesiredPlugin, DesiredState } from './desired-state-schema.js';
import { planDesiredState } from './plan-desired-state.js';

function plan(
  desired: DesiredState,
  current: readonly InstalledPluginState[] = [],
  sources: readonly [string, DesiredSourceManifest][] = [],
) {
  return planDesiredState(desired, current, { sources: new Map(sources) });
}

describe('planDesiredState actions', () => {
  it('installs a plugin that is not installed from its source, then enables it', () => {
    const result = plan(desiredOf(wantSource('hello')), [], [sourceOf('hello', '1.0.0')]);
    expect(result.actions).toEqual([
      {
        kind: 'install',
        name: 'hello',
        version: '1.0.0',
        source: sourcePath('hello'),
        sourceAsWritten: './src/hello',
        digest: digestOf('hello', '1.0.0'),
        reason: 'trellis.plugins.yaml lists hello 1.0.0, which is not installed',
      },
      { kind: 'enable', name: 'hello', reason: 'enabled in trellis.plugins.yaml' },
    ]);
    expect(result.problems).toEqual([]);
    expect(result.unchanged).toEqual([]);
  });

  it('installs a disabled plugin without enabling it', () => {
    const result = plan(desiredOf(wantSource('hello', { enabled: false })), [], [sourceOf('hello', '1.0.0')]);
    expect(actionLines(result)).toEqual(['install hello 1.0.0']);
  });

  it('installs a version held in the store without a source', () => {
    const held: InstalledPluginState = { name: 'weather', versions: ['1.0.0', '1.2.0'], enabled: false };
    const result = plan(desiredOf(want('weather', { version: '1.2.0' })), [held]);
    expect(result.actions[0]).toEqual({
      kind: 'install',
      name: 'weather',
      version: '1.2.0',
      reason: 'trellis.plugins.yaml lists weather 1.2.0, which is not installed',
    });
    expect(actionLines(result)).toEqual(['install weather 1.2.0', 'enable weather']);
  });

  it('upgrades to a newer version from a source', () => {
    const result = plan(
      desiredOf(wantSource('weather')),
      [installedPlugin('weather', '1.0.0')],
      [sourceOf('weather', '1.2.0')],
    );
    expect(result.actions).toEqual([
      {
        kind: 'upgrade',
        name: 'weather',
        from: '1.0.0',
        to: '1.2.0',
        source: sourcePath('weather'),
        sourceAsWritten: './src/weather',
        digest: digestOf('weather', '1.2.0'),
        reason: 'trellis.plugins.yaml asks for 1.2.0; 1.0.0 is active',
      },
    ]);
  });

  it('upgrades and downgrades to versions held in the store', () => {
    const result = plan(desiredOf(want('a', { version: '1.10.0' }), want('b', { version: '1.2.0' })), [
      installedPlugin('a', '1.9.0', { versions: ['1.9.0', '1.10.0'] }),
      installedPlugin('b', '2.0.0', { versions: ['1.2.0', '2.0.0'] }),
    ]);
    expect(actionLines(result)).toEqual(['upgrade a 1.9.0→1.10.0', 'downgrade b 2.0.0→1.2.0']);
    expect(result.actions.every((action) => !('source' in action))).toBe(true);
  });

  it('reinstalls a source whose content changed without a version bump, and says so', () => {
    const result = plan(
      desiredOf(wantSource('notes')),
      [installedPlugin('notes', '2.0.0', { digest: 'sha256:aaaaaaaaaaaaaaaaaaaa' })],
      [sourceOf('notes', '2.0.0', { digest: 'sha256:bbbbbbbbbbbbbbbbbbbb' })],
    );
    expect(result.actions).toEqual([
      {
        kind: 'reinstall',
        name: 'notes',
        version: '2.0.0',
        source: sourcePath('notes'),
        sourceAsWritten: './src/notes',
        fromDigest: 'sha256:aaaaaaaaaaaaaaaaaaaa',
        digest: 'sha256:bbbbbbbbbbbbbbbbbbbb',
        reason:
          'the source ./src/notes changed without a version bump: 2.0.0 has digest sha256:bbbbbbbbbbbb there, sha256:aaaaaaaaaaaa installed',
      },
    ]);
  });

  it('does not reinstall when the store reports no digest, or when only a version is asked for', () => {
    const { digest: _unknown, ...withoutDigest } = installedPlugin('notes', '2.0.0');
    expect(
      plan(desiredOf(wantSource('notes')), [withoutDigest], [sourceOf('notes', '2.0.0', { digest: 'x' })])
        .actions,
    ).toEqual([]);
    const byVersion = plan(desiredOf(want('notes', { version: '2.0.0' })), [
      installedPlugin('notes', '2.0.0', { digest: 'y' }),
    ]);
    expect(byVersion.actions).toEqual([]);
    expect(byVersion.unchanged).toEqual(['notes']);
  });

  it('uninstalls an installed plugin the desired state does not list, and ignores one only held', () => {
    const result = plan(desiredOf(), [
      installedPlugin('old', '0.3.0'),
      { name: 'gone', versions: ['1.0.0'], enabled: true },
    ]);
    expect(result.actions).toEqual([
      {
        kind: 'uninstall',
        name: 'old',
        version: '0.3.0',
        reason: 'installed but not in trellis.plugins.yaml',
      },
    ]);
  });

  it('enables and disables installed plugins', () => {
    const result = plan(
      desiredOf(want('on', { version: '1.0.0' }), want('off', { version: '1.0.0', enabled: false })),
      [installedPlugin('on', '1.0.0', { enabled: false }), installedPlugin('off', '1.0.0')],
    );
    expect(result.actions).toEqual([
      { kind: 'disable', name: 'off', reason: 'enabled: false in trellis.plugins.yaml' },
      { kind: 'enable', name: 'on', reason: 'enabled in trellis.plugins.yaml' },
    ]);
  });

  it('sets and clears the isolation override', () => {
    const result = plan(
      desiredOf(
        want('a', { version: '1.0.0', isolation: 'process' }),
        want('b', { version: '1.0.0' }),
        want('c', { version: '1.0.0', isolation: 'worker' }),
      ),
      [
        installedPlugin('a', '1.0.0', { isolation: 'worker' }),
        installedPlugin('b', '1.0.0', { isolation: 'process' }),
        installedPlugin('c', '1.0.0', { isolation: 'worker' }),
      ],
    );
    expect(result.actions).toEqual([
      {
        kind: 'set-isolation',
        name: 'a',
        from: 'worker',
        to: 'process',
        reason: 'isolation: process in trellis.plugins.yaml',
      },
      {
        kind: 'set-isolation',
        name: 'b',
        from: 'process',
        reason: "no isolation override in trellis.plugins.yaml; the manifest's isolation applies",
      },
    ]);
    expect(result.unchanged).toEqual(['c']);
  });

  it('gives a new plugin its isolation after installing it and before enabling it', () => {
    const result = plan(
      desiredOf(wantSource('notes', { isolation: 'process' })),
      [],
      [sourceOf('notes', '2.0.0')],
    );
    expect(actionLines(result)).toEqual([
      'install notes 2.0.0',
      'set-isolation notes -→process',
      'enable notes',
    ]);
  });

  it('plans several actions for one plugin: disable before the upgrade, enable after it', () => {
    const result = plan(
      desiredOf(wantSource('a', { enabled: false }), wantSource('b')),
      [installedPlugin('a', '1.0.0'), installedPlugin('b', '1.0.0', { enabled: false })],
      [sourceOf('a', '2.0.0'), sourceOf('b', '2.0.0')],
    );
    expect(actionLines(result)).toEqual([
      'disable a',
      'upgrade a 1.0.0→2.0.0',
      'upgrade b 1.0.0→2.0.0',
      'enable b',
    ]);
  });

  it('compares versions that are not semver by text rather than failing', () => {
    const result = plan(
      desiredOf(wantSource('a')),
      [installedPlugin('a', 'build-7')],
      [sourceOf('a', 'build-10')],
    );
    expect(actionLines(result)).toEqual(['downgrade a build-7→build-10']);
  });

  it('keeps the active version of a plugin built in code with neither source nor version', () => {
    const result = plan(desiredOf(want('a', { enabled: false })), [installedPlugin('a', '1.0.0')]);
    expect(actionLines(result)).toEqual(['disable a']);
  });

  it('lists the desired plugins that need nothing, sorted', () => {
    const result = plan(
      desiredOf(want('zeta', { version: '1.0.0' }), want('alpha', { version: '1.0.0' }), wantSource('new')),
      [installedPlugin('zeta', '1.0.0'), installedPlugin('alpha', '1.0.0')],
      [sourceOf('new', '1.0.0')],
    );
    expect(result.unchanged).toEqual(['alpha', 'zeta']);
  });

  it('plans nothing when the store already matches', () => {
    const result = plan(
      desiredOf(wantSource('a'), want('b', { version: '1.0.0', enabled: false, isolation: 'worker' })),
      [installedPlugin('a', '1.0.0'), installedPlugin('b', '1.0.0', { enabled: false, isolation: 'worker' })],
      [sourceOf('a', '1.0.0')],
    );
    expect(result).toEqual({ actions: [], unchanged: ['a', 'b'], problems: [] });
  });
});

describe('planDesiredState order', () => {
  it('installs and enables dependencies before dependents, whatever their names', () => {
    const result = plan(
      desiredOf(wantSource('app'), wantSource('zlib'), wantSource('mid')),
      [],
      [
        sourceOf('app', '1.0.0', { dependencies: { mid: '^1.0.0' } }),
        sourceOf('mid', '1.0.0', { dependencies: { zlib: '^1.0.0' } }),
        sourceOf('zlib', '1.0.0'),
      ],
    );
    expect(actionLines(result)).toEqual([
      'install zlib 1.0.0',
      'enable zlib',
      'install mid 1.0.0',
      'enable mid',
      'install app 1.0.0',
      'enable app',
    ]);
  });

  it('installs and enables a new dependency before upgrading the running plugin that needs it', () => {
    const result = plan(
      desiredOf(wantSource('notes'), wantSource('hello')),
      [installedPlugin('notes', '1.0.0')],
      [sourceOf('notes', '2.0.0', { dependencies: { hello: '^1.0.0' } }), sourceOf('hello', '1.0.0')],
    );
    expect(actionLines(result)).toEqual(['install hello 1.0.0', 'enable hello', 'upgrade notes 1.0.0→2.0.0']);
  });

  it('uninstalls and disables dependents before their dependencies', () => {
    const result = plan(desiredOf(want('core', { version: '1.0.0', enabled: false })), [
      installedPlugin('core', '1.0.0'),
      installedPlugin('web', '1.0.0', { dependencies: { core: '^1.0.0' } }),
      installedPlugin('admin', '1.0.0', { dependencies: { web: '^1.0.0' } }),
    ]);
    expect(actionLines(result)).toEqual(['uninstall admin 1.0.0', 'uninstall web 1.0.0', 'disable core']);
  });

  it('orders version changes by the ranges of the desired versions, not the installed ones', () => {
    // Installed: b needs a. Desired: a 2.0.0 needs b 2.0.0, so b moves first.
    const result = plan(
      desiredOf(wantSource('a'), wantSource('b')),
      [installedPlugin('a', '1.0.0'), installedPlugin('b', '1.0.0', { dependencies: { a: '^1.0.0' } })],
      [sourceOf('a', '2.0.0', { dependencies: { b: '^2.0.0' } }), sourceOf('b', '2.0.0')],
    );
    expect(actionLines(result)).toEqual(['upgrade b 1.0.0→2.0.0', 'upgrade a 1.0.0→2.0.0']);
  });

  it("puts removals first, then each plugin's code, isolation and enable", () => {
    const result = plan(
      desiredOf(
        wantSource('a'),
        want('b', { version: '1.0.0', enabled: false }),
        want('c', { version: '2.0.0', isolation: 'worker' }),
      ),
      [
        installedPlugin('b', '1.0.0'),
        installedPlugin('c', '1.0.0', { versions: ['1.0.0', '2.0.0'] }),
        installedPlugin('d', '1.0.0'),
      ],
      [sourceOf('a', '1.0.0')],
    );
    expect(actionLines(result)).toEqual([
      'disable b',
      'uninstall d 1.0.0',
      'install a 1.0.0',
      'enable a',
      'upgrade c 1.0.0→2.0.0',
      'set-isolation c -→worker',
    ]);
  });

  it('gives the same plan whatever the order of the inputs', () => {
    const plugins = [wantSource('a'), wantSource('b'), wantSource('c')];
    const sources = [
      sourceOf('a', '1.0.0', { dependencies: { c: '*' } }),
      sourceOf('b', '1.0.0'),
      sourceOf('c', '1.0.0'),
    ];
    const current = [installedPlugin('x', '1.0.0'), installedPlugin('y', '1.0.0')];
    const forward = plan(desiredOf(...plugins), current, sources);
    const backward = plan(desiredOf(...plugins.reverse()), [...current].reverse(), [...sources].reverse());
    expect(backward).toEqual(forward);
  });
});

describe('planDesiredState problems', () => {
  const at = { position: { line: 6, column: 3 } };

  it('refuses a version neither held in the store nor given a source, naming the held ones', () => {
    const result = plan(desiredOf(want('weather', { version: '1.3.0', ...at })), [
      installedPlugin('weather', '1.0.0', { versions: ['1.0.0', '1.2.0'] }),
    ]);
    expect(result.problems).toEqual([
      {
        kind: 'version-not-in-store',
        plugins: ['weather'],
        message:
          'weather: version 1.3.0 is not in the plugin store (it holds 1.0.0, 1.2.0) and no "source" is given; add a source to install it from, or ask for a held version',
        location: `${FIXTURE_FILE}:6:3`,
      },
    ]);
    expect(result.actions).toEqual([]);
    expect(result.unchanged).toEqual([]);
  });

  it('says when the store holds no version of the plugin at all', () => {
    const result = plan(desiredOf(want('ghost', { version: '1.0.0' })));
    expect(result.problems[0]?.message).toContain('(it holds no ghost)');
    expect(result.actions).toEqual([]);
  });

  it('refuses a plugin built in code with neither source nor version when it is not installed', () => {
    expect(plan(desiredOf(want('ghost'))).problems[0]).toMatchObject({
      kind: 'version-not-in-store',
      message: 'ghost: give a "source" or a "version"',
    });
  });

  it('refuses a source whose manifest names another plugin', () => {
    const result = plan(
      desiredOf(wantSource('hello', at)),
      [],
      [sourceOf('hello', '1.0.0', { name: 'goodbye' })],
    );
    expect(result.problems).toEqual([
      {
        kind: 'name-mismatch',
        plugins: ['hello', 'goodbye'],
        message:
          'hello: the source ./src/hello holds the plugin "goodbye"; rename the entry to "goodbye", or point "source" at hello',
        location: `${FIXTURE_FILE}:6:3`,
      },
    ]);
    expect(result.actions).toEqual([]);
  });

  it('refuses a source whose version is not the version asked for', () => {
    const result = plan(
      desiredOf(wantSource('hello', { version: '1.1.0' })),
      [],
      [sourceOf('hello', '1.0.0')],
    );
    expect(result.problems).toEqual([
      {
        kind: 'version-mismatch',
        plugins: ['hello'],
        message:
          'hello: version 1.1.0 is asked for, but the source ./src/hello holds 1.0.0; write version: 1.0.0, or rebuild the source as 1.1.0',
      },
    ]);
  });

  it('accepts a source whose version is the version asked for', () => {
    const result = plan(
      desiredOf(wantSource('hello', { version: '1.0.0' })),
      [],
      [sourceOf('hello', '1.0.0')],
    );
    expect(result.problems).toEqual([]);
    expect(actionLines(result)).toEqual(['install hello 1.0.0', 'enable hello']);
  });

  it('refuses a source that was not read', () => {
    expect(plan(desiredOf(wantSource('hello'))).problems).toEqual([
      {
        kind: 'source-not-read',
        plugins: ['hello'],
        message:
          'hello: the source ./src/hello was not read; pass its manifest in "sources" (readDesiredSources reads every source of the desired state)',
      },
    ]);
  });

  it('refuses two entries that point at one source', () => {
    const shared = { source: '/app/src/shared', sourceAsWritten: './src/shared' };
    const result = plan(
      desiredOf(want('b', shared), want('a', shared)),
      [],
      [['/app/src/shared', { name: 'a', version: '1.0.0', digest: 'd' }]],
    );
    expect(result.problems.map((problem) => [problem.kind, problem.plugins])).toEqual([
      ['name-mismatch', ['b', 'a']],
      ['duplicate-source', ['a', 'b']],
    ]);
    expect(result.problems[1]?.message).toBe(
      'a and b all use the source ./src/shared; each plugin needs a source of its own',
    );
  });

  it('refuses a dependency range the desired version of the dependency does not satisfy, naming both', () => {
    const result = plan(
      desiredOf(wantSource('web'), want('auth', { version: '1.4.0' })),
      [installedPlugin('auth', '2.0.0', { versions: ['1.4.0', '2.0.0'] })],
      [sourceOf('web', '3.0.0', { dependencies: { auth: '^2.0.0' } })],
    );
    expect(result.problems).toEqual([
      {
        kind: 'dependency-unsatisfied',
        plugins: ['web', 'auth'],
        message:
          'web 3.0.0 needs auth ^2.0.0, but trellis.plugins.yaml asks for auth 1.4.0; choose a version of auth in ^2.0.0, or a version of web that accepts 1.4.0',
      },
    ]);
  });

  it('checks a switch to a held version with that version’s ranges, when the store gives them', () => {
    const result = plan(desiredOf(want('web', { version: '2.0.0' }), want('auth', { version: '1.0.0' })), [
      installedPlugin('auth', '1.0.0'),
      installedPlugin('web', '1.0.0', {
        versions: ['1.0.0', '2.0.0'],
        dependencies: { auth: '^1.0.0' },
        versionDependencies: { '2.0.0': { auth: '^2.0.0' } },
      }),
    ]);
    expect(result.problems.map((problem) => problem.kind)).toEqual(['dependency-unsatisfied']);
  });

  it('uses the installed ranges for the active version', () => {
    const result = plan(desiredOf(want('web', { version: '1.0.0' }), want('auth', { version: '2.0.0' })), [
      installedPlugin('auth', '1.0.0', { versions: ['1.0.0', '2.0.0'] }),
      installedPlugin('web', '1.0.0', { dependencies: { auth: '^1.0.0' } }),
    ]);
    expect(result.problems.map((problem) => problem.message)).toEqual([
      'web 1.0.0 needs auth ^1.0.0, but trellis.plugins.yaml asks for auth 2.0.0; choose a version of auth in ^1.0.0, or a version of web that accepts 2.0.0',
    ]);
  });

  it('lets a prerelease satisfy a range, as the resolver does', () => {
    const result = plan(
      desiredOf(wantSource('web'), wantSource('auth')),
      [],
      [sourceOf('web', '1.0.0', { dependencies: { auth: '^1.2.0' } }), sourceOf('auth', '1.3.0-dev.1')],
    );
    expect(result.problems).toEqual([]);
  });

  it('treats an invalid range as satisfied by nothing', () => {
    const result = plan(
      desiredOf(wantSource('web'), wantSource('auth')),
      [],
      [sourceOf('web', '1.0.0', { dependencies: { auth: 'not a range' } }), sourceOf('auth', '1.0.0')],
    );
    expect(result.problems.map((problem) => problem.kind)).toEqual(['dependency-unsatisfied']);
  });

  it('refuses a dependency the desired state does not list', () => {
    const result = plan(
      desiredOf(wantSource('web')),
      [installedPlugin('auth', '1.0.0')],
      [sourceOf('web', '1.0.0', { dependencies: { auth: '^1.0.0' } })],
    );
    expect(result.problems).toEqual([
      {
        kind: 'dependency-missing',
        plugins: ['web', 'auth'],
        message:
          'web 1.0.0 needs auth ^1.0.0, but trellis.plugins.yaml does not list auth; add it, or use a version of web that does not need it',
      },
    ]);
  });

  it('refuses an enabled plugin whose dependency is disabled, and accepts both disabled', () => {
    const sources = [sourceOf('web', '1.0.0', { dependencies: { auth: '*' } }), sourceOf('auth', '1.0.0')];
    const result = plan(desiredOf(wantSource('web'), wantSource('auth', { enabled: false })), [], sources);
    expect(result.problems).toEqual([
      {
        kind: 'dependency-disabled',
        plugins: ['web', 'auth'],
        message: 'web is enabled but needs auth, which has enabled: false; enable auth, or disable web',
      },
    ]);
    const bothOff = plan(
      desiredOf(wantSource('web', { enabled: false }), wantSource('auth', { enabled: false })),
      [],
      sources,
    );
    expect(bothOff.problems).toEqual([]);
  });

  it('reports a dependency cycle of the desired versions once, and still orders the rest', () => {
    const result = plan(
      desiredOf(wantSource('b'), wantSource('a'), wantSource('c'), wantSource('solo')),
      [],
      [
        sourceOf('a', '1.0.0', { dependencies: { b: '*' } }),
        sourceOf('b', '1.0.0', { dependencies: { c: '*' } }),
        sourceOf('c', '1.0.0', { dependencies: { a: '*' } }),
        sourceOf('solo', '1.0.0'),
      ],
    );
    expect(result.problems).toEqual([
      {
        kind: 'dependency-cycle',
        plugins: ['a', 'b', 'c'],
        message:
          'the desired versions depend on each other in a cycle: a 1.0.0 → b 1.0.0 → c 1.0.0 → a 1.0.0; remove one of these dependencies from its manifest',
      },
    ]);
    expect(actionLines(result)).toContain('install solo 1.0.0');
    expect(result.actions).toHaveLength(8);
  });

  it('does not report a problem for a dependency whose own target is unknown', () => {
    const result = plan(
      desiredOf(wantSource('web'), want('auth', { version: '9.9.9' })),
      [],
      [sourceOf('web', '1.0.0', { dependencies: { auth: '^1.0.0' } })],
    );
    expect(result.problems.map((problem) => problem.kind)).toEqual(['version-not-in-store']);
  });

  it('still plans setting changes for an installed plugin whose requested version is missing', () => {
    const result = plan(desiredOf(want('a', { version: '9.0.0', enabled: false })), [
      installedPlugin('a', '1.0.0'),
    ]);
    expect(result.problems.map((problem) => problem.kind)).toEqual(['version-not-in-store']);
    expect(actionLines(result)).toEqual(['disable a']);
  });
});

describe('planDesiredState at scale', () => {
  it('finds exactly the 10 changes among 1,000 plugins', () => {
    const name = (i: number) => `p${String(i).padStart(4, '0')}`;
    // A tree: each plugin depends on the one at half its index, so leaves (500+) have no dependents.
    const dependencies = (i: number) => (i === 0 ? undefined : { [name(Math.floor(i / 2))]: '>=0.1.0' });
    const current: InstalledPluginState[] = [];
    const plugins: DesiredPlugin[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const deps = dependencies(i);
      current.push(
        installedPlugin(name(i), '1.0.0', {
          versions: ['0.9.0', '1.0.0', '1.1.0'],
          enabled: i !== 997,
          ...(deps ? { dependencies: deps, versionDependencies: { '0.9.0': deps, '1.1.0': deps } } : {}),
        }),
      );
      if (i !== 996) plugins.push(want(name(i), { version: '1.0.0' }));
    }
    const change = (i: number, fields: Parameters<typeof want>[1]) => {
      const index = plugins.findIndex((plugin) => plugin.name === name(i));
      plugins[index] = want(name(i), fields);
    };
    change(100, { version: '1.1.0' });
    change(200, { version: '0.9.0' });
    change(999, { version: '1.0.0', enabled: false });
    change(998, { version: '1.0.0', enabled: false });
    change(997, { version: '1.0.0', enabled: true });
    change(995, { source: sourcePath(name(995)), sourceAsWritten: `./src/${name(995)}` });
    change(994, { version: '1.0.0', isolation: 'worker' });
    change(993, { source: sourcePath(name(993)) });
    plugins.push(wantSource('zz-new', { enabled: false }));
    const sources = [
      sourceOf(name(995), '1.0.0', { digest: 'sha256:rebuilt', dependencies: { [name(497)]: '>=0.1.0' } }),
      sourceOf(name(993), '2.0.0', { dependencies: { [name(496)]: '>=0.1.0' } }),
      sourceOf('zz-new', '0.1.0', { dependencies: { p0000: '^1.0.0' } }),
    ];

    const result = plan(desiredOf(...plugins), current, sources);

    expect(result.problems).toEqual([]);
    expect(actionLines(result)).toEqual([
      'uninstall p0996 1.0.0',
      'disable p0998',
      'disable p0999',
      'upgrade p0100 1.0.0→1.1.0',
      'downgrade p0200 1.0.0→0.9.0',
      'upgrade p0993 1.0.0→2.0.0',
      'set-isolation p0994 -→worker',
      'reinstall p0995 1.0.0',
      'enable p0997',
      'install zz-new 0.1.0',
    ]);
    expect(result.unchanged).toHaveLength(991);
  });
});
