import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManifestInvalidError, PluginNameTakenError, PluginScanError } from '../errors.js';
import { nodeScanFs, type ScanFs } from './scan-fs.js';
import { type ScanResult, scanPlugins } from './scan-plugins.js';

let tmp: string;
let count = 0;
beforeAll(async () => {
  tmp = await realpath(await mkdtemp(join(tmpdir(), 'trellis-scan-')));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A tree of folders: a string or object value is a file (objects as JSON); a nested Tree is a folder. */
interface Tree {
  readonly [name: string]: Tree | string | { readonly json: unknown };
}

async function writeTree(dir: string, tree: Tree): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    const path = join(dir, name);
    if (typeof value === 'string') await writeFile(path, value);
    else if ('json' in value) await writeFile(path, JSON.stringify(value.json));
    else await writeTree(path, value as Tree);
  }
}

/** A fresh temporary folder holding `tree`. */
async function fixture(tree: Tree): Promise<string> {
  const dir = join(tmp, `case-${++count}`);
  await writeTree(dir, tree);
  return dir;
}

const plugin = (name: string, version = '1.0.0', extra: object = {}): Tree => ({
  'trellis.plugin.json': { json: { name, version, platform: '^0.1.0', ...extra } },
});
const npmPlugin = (name: string, version = '1.0.0'): Tree => ({
  'package.json': { json: { name, version, trellis: { platform: '^0.1.0' } } },
});

const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });
const names = (result: ScanResult) => result.plugins.map((found) => found.manifest.name);
const problemLines = (result: ScanResult) =>
  result.problems.map((problem) => `${problem.code} ${problem.message}`);

describe('scanPlugins', () => {
  describe('roots', () => {
    it('finds plugins under a root, sorted by name, from either kind of manifest', async () => {
      const root = await fixture({
        zeta: plugin('zeta'),
        alpha: npmPlugin('@acme/alpha'),
        docs: { 'README.md': '#' },
      });
      const result = await scanPlugins({ roots: [root] });
      expect(names(result)).toEqual(['@acme/alpha', 'zeta']);
      expect(result.plugins[0]).toMatchObject({ dir: join(root, 'alpha'), source: 'package.json' });
      expect(result.problems).toEqual([]);
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
    });

    it('treats a root that has a manifest as a plugin itself', async () => {
      const root = await fixture(plugin('solo'));
      expect(names(await scanPlugins({ roots: [root] }))).toEqual(['solo']);
    });

    it('does not enter a plugin folder', async () => {
      const root = await fixture({ outer: { ...plugin('outer'), inner: plugin('inner') } });
      expect(names(await scanPlugins({ roots: [root] }))).toEqual(['outer']);
    });

    it('enters a folder whose package.json declares no plugin', async () => {
      const root = await fixture({
        workspace: { 'package.json': { json: { name: 'ws', private: true } }, billing: plugin('billing') },
      });
      expect(names(await scanPlugins({ roots: [root] }))).toEqual(['billing']);
    });

    it('resolves relative roots against cwd', async () => {
      const root = await fixture({ plugins: { a: plugin('a') } });
      const result = await scanPlugins({ roots: ['plugins'], cwd: root });
      expect(result.plugins[0]?.dir).toBe(join(root, 'plugins', 'a'));
    });

    it('reports a root that does not exist, and carries on', async () => {
      const root = await fixture({ a: plugin('a') });
      const missing = join(root, 'missing');
      const result = await scanPlugins({ roots: [missing, root] });
      expect(names(result)).toEqual(['a']);
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toBeInstanceOf(PluginScanError);
      expect(result.problems[0]?.message).toContain(`Could not scan ${missing}: it does not exist.`);
    });

    it('reports a file given where a folder is expected', async () => {
      const root = await fixture({ 'notes.txt': 'x' });
      const result = await scanPlugins({ roots: [join(root, 'notes.txt')] });
      expect(problemLines(result)).toEqual([
        expect.stringContaining(
          `PLUGIN_SCAN_FAILED Could not scan ${join(root, 'notes.txt')}: it is not a folder.`,
        ),
      ]);
    });
  });

  describe('maxDepth', () => {
    const deepTree = (): Tree => ({
      one: plugin('one'),
      a: { two: plugin('two'), b: { three: plugin('three'), c: { four: plugin('four') } } },
    });

    it('looks three folders deep by default', async () => {
      const root = await fixture(deepTree());
      expect(names(await scanPlugins({ roots: [root] }))).toEqual(['one', 'three', 'two']);
    });

    it('looks only as deep as maxDepth', async () => {
      const root = await fixture(deepTree());
      expect(names(await scanPlugins({ roots: [root], maxDepth: 1 }))).toEqual(['one']);
      expect(names(await scanPlugins({ roots: [root], maxDepth: 4 }))).toEqual([
        'four',
        'one',
        'three',
        'two',
      ]);
    });

    it('scans only the roots themselves with maxDepth 0', async () => {
      const root = await fixture({ a: plugin('a'), b: plugin('b') });
      expect(names(await scanPlugins({ roots: [root], maxDepth: 0 }))).toEqual([]);
      expect(names(await scanPlugins({ roots: [join(root, 'a')], maxDepth: 0 }))).toEqual(['a']);
    });
  });

  describe('globs', () => {
    it('scans each folder a * matches as a root', async () => {
      const root = await fixture({
        plugins: { a: plugin('a'), b: { nested: plugin('b') }, 'README.md': '#' },
        other: plugin('other'),
      });
      const result = await scanPlugins({ roots: ['plugins/*'], cwd: root, maxDepth: 0 });
      expect(names(result)).toEqual(['a']);
      expect(result.problems).toEqual([]);
    });

    it('matches ** at any depth of folders', async () => {
      const root = await fixture({
        packages: {
          web: { plugins: { a: plugin('a') } },
          api: { deep: { plugins: { b: plugin('b') } } },
          plugins: { c: plugin('c') },
        },
      });
      const result = await scanPlugins({ roots: [join(root, 'packages/**/plugins/*')], maxDepth: 0 });
      expect(names(result)).toEqual(['a', 'b', 'c']);
    });

    it('does not let * or ** match names starting with a dot, unless the pattern does', async () => {
      const root = await fixture({ plugins: { '.hidden': plugin('hidden'), shown: plugin('shown') } });
      expect(names(await scanPlugins({ roots: ['plugins/*'], cwd: root }))).toEqual(['shown']);
      expect(names(await scanPlugins({ roots: ['plugins/.*'], cwd: root }))).toEqual(['hidden']);
      expect(names(await scanPlugins({ roots: ['**/plugins'], cwd: root }))).toEqual(['hidden', 'shown']);
    });

    it('does not enter ignored folders while expanding a glob', async () => {
      const root = await fixture({
        node_modules: { plugins: { x: plugin('x') } },
        app: { plugins: { y: plugin('y') } },
      });
      expect(names(await scanPlugins({ roots: ['**/plugins/*'], cwd: root }))).toEqual(['y']);
    });

    it('follows a link that a wildcard matches, and skips one to a file', async () => {
      const root = await fixture({ elsewhere: { linked: plugin('linked') }, plugins: { 'file.txt': 'x' } });
      await symlink(join(root, 'elsewhere', 'linked'), join(root, 'plugins', 'linked'));
      await symlink(join(root, 'plugins', 'file.txt'), join(root, 'plugins', 'file-link'));
      const result = await scanPlugins({ roots: ['plugins/*'], cwd: root });
      expect(names(result)).toEqual(['linked']);
      expect(result.plugins[0]?.dir).toBe(join(root, 'plugins', 'linked'));
      expect(result.problems).toEqual([]);
    });

    it('reports a broken link that a wildcard matches', async () => {
      const root = await fixture({ plugins: { a: plugin('a') } });
      await symlink(join(root, 'gone'), join(root, 'plugins', 'broken'));
      const result = await scanPlugins({ roots: ['plugins/*'], cwd: root });
      expect(names(result)).toEqual(['a']);
      expect(problemLines(result)).toEqual([expect.stringContaining('broken symlink')]);
    });

    it('reports a folder it cannot list while expanding a glob', async () => {
      const root = await fixture({
        packages: { locked: { plugins: { a: plugin('a') } }, open: { plugins: { b: plugin('b') } } },
      });
      const fs: ScanFs = {
        ...nodeScanFs,
        readdir: (dir) =>
          dir.endsWith('locked') ? Promise.reject(errno('EACCES')) : nodeScanFs.readdir(dir),
      };
      const result = await scanPlugins({ roots: ['packages/*/plugins/*'], cwd: root, fs });
      expect(names(result)).toEqual(['b']);
      expect(problemLines(result)).toEqual([
        expect.stringContaining(`Could not scan ${join(root, 'packages', 'locked')}: permission denied.`),
      ]);
    });

    it('reports a missing base folder of a glob', async () => {
      const root = await fixture({});
      const result = await scanPlugins({ roots: ['plugins/*'], cwd: root });
      expect(problemLines(result)).toEqual([
        expect.stringContaining(`Could not scan ${join(root, 'plugins')}: it does not exist.`),
      ]);
    });
  });

  describe('ignore', () => {
    it('skips node_modules and .git folders by default', async () => {
      const root = await fixture({
        node_modules: { dep: plugin('dep') },
        '.git': { hooks: plugin('git-thing') },
        app: { node_modules: { deeper: plugin('deeper') }, real: plugin('real') },
      });
      expect(names(await scanPlugins({ roots: [root] }))).toEqual(['real']);
    });

    it('skips folders matching the given patterns, relative to the root', async () => {
      const root = await fixture({
        legacy: { old: plugin('old') },
        current: plugin('current'),
        'wip-x': plugin('wip'),
      });
      expect(names(await scanPlugins({ roots: [root], ignore: ['legacy/**', 'wip-*'] }))).toEqual([
        'current',
      ]);
    });

    it('replaces the defaults when given', async () => {
      const root = await fixture({ node_modules: { dep: plugin('dep') } });
      expect(names(await scanPlugins({ roots: [root], ignore: [] }))).toEqual(['dep']);
    });

    it('matches patterns relative to the base folder of a glob root', async () => {
      const root = await fixture({ plugins: { a: { legacy: plugin('old') }, b: plugin('b') } });
      const result = await scanPlugins({ roots: ['plugins/*'], cwd: root, ignore: ['a/legacy'] });
      expect(names(result)).toEqual(['b']);
    });
  });

  describe('node_modules', () => {
    it('finds installed packages with a trellis field, scoped ones included', async () => {
      const app = await fixture({
        node_modules: {
          '@acme': {
            billing: npmPlugin('@acme/billing'),
            utils: { 'package.json': { json: { name: '@acme/utils' } } },
          },
          auth: npmPlugin('auth', '2.0.0'),
          lodash: { 'package.json': { json: { name: 'lodash', version: '4.17.21' } } },
          '.bin': { auth: '#!/bin/sh' },
          'no-package-json': { 'index.js': '' },
          '.modules.yaml': 'x',
        },
      });
      const result = await scanPlugins({ roots: [], nodeModules: ['node_modules'], cwd: app });
      expect(names(result)).toEqual(['@acme/billing', 'auth']);
      expect(result.plugins[0]).toMatchObject({
        dir: join(app, 'node_modules', '@acme', 'billing'),
        file: join(app, 'node_modules', '@acme', 'billing', 'package.json'),
        source: 'package.json',
      });
      expect(result.problems).toEqual([]);
    });

    it('follows linked packages, as pnpm installs them', async () => {
      const app = await fixture({
        store: { 'auth@1.0.0': npmPlugin('auth'), 'acme-x@1.0.0': npmPlugin('@acme/x') },
        node_modules: { '@acme': {} },
      });
      await symlink(join(app, 'store', 'auth@1.0.0'), join(app, 'node_modules', 'auth'));
      await symlink(join(app, 'store', 'acme-x@1.0.0'), join(app, 'node_modules', '@acme', 'x'));
      const result = await scanPlugins({ roots: [], nodeModules: [join(app, 'node_modules')] });
      expect(names(result)).toEqual(['@acme/x', 'auth']);
      expect(result.plugins[1]?.dir).toBe(join(app, 'node_modules', 'auth'));
    });

    it('keeps a linked package under its path when its real path cannot be resolved', async () => {
      const app = await fixture({ store: { auth: npmPlugin('auth') }, node_modules: {} });
      await symlink(join(app, 'store', 'auth'), join(app, 'node_modules', 'auth'));
      const fs: ScanFs = {
        ...nodeScanFs,
        realpath: (path) =>
          path.endsWith('auth') ? Promise.reject(errno('ENOENT')) : nodeScanFs.realpath(path),
      };
      const result = await scanPlugins({ roots: [], nodeModules: [join(app, 'node_modules')], fs });
      expect(result.plugins.map((found) => found.dir)).toEqual([join(app, 'node_modules', 'auth')]);
    });

    it('reports an invalid trellis field and a missing node_modules folder', async () => {
      const app = await fixture({
        node_modules: {
          broken: { 'package.json': { json: { name: 'broken', version: '1.0.0', trellis: {} } } },
        },
      });
      const result = await scanPlugins({
        roots: [],
        nodeModules: ['node_modules', 'missing/node_modules'],
        cwd: app,
      });
      expect(result.problems.map((problem) => problem.constructor)).toEqual([
        PluginScanError,
        ManifestInvalidError,
      ]);
      expect(result.problems[1]?.message).toContain('"trellis.platform": missing');
    });
  });

  describe('problems', () => {
    it('reports every invalid manifest and still finds the valid plugins', async () => {
      const root = await fixture({
        good: plugin('good'),
        'bad-json': { 'trellis.plugin.json': '{ "name": "x",\n  oops }' },
        'bad-fields': plugin('Bad', 'one'),
      });
      const result = await scanPlugins({ roots: [root] });
      expect(names(result)).toEqual(['good']);
      expect(result.problems.every((problem) => problem instanceof ManifestInvalidError)).toBe(true);
      expect(problemLines(result)).toEqual([
        expect.stringContaining(
          `${join(root, 'bad-fields', 'trellis.plugin.json')} "name": expected an npm-style name`,
        ),
        expect.stringContaining(`${join(root, 'bad-json', 'trellis.plugin.json')}:2:3: not valid JSON`),
      ]);
    });

    it('does not enter a folder whose manifest is invalid', async () => {
      const root = await fixture({ bad: { ...plugin('Bad'), inner: plugin('inner') } });
      expect(names(await scanPlugins({ roots: [root] }))).toEqual([]);
    });

    it('reports an unreadable folder and carries on', async () => {
      // Root reads any folder whatever its mode, so permission denial is simulated through ScanFs.
      const root = await fixture({ locked: { inside: plugin('inside') }, open: plugin('open') });
      const fs: ScanFs = {
        ...nodeScanFs,
        readdir: (dir) =>
          dir === join(root, 'locked') ? Promise.reject(errno('EACCES')) : nodeScanFs.readdir(dir),
      };
      const result = await scanPlugins({ roots: [root], fs });
      expect(names(result)).toEqual(['open']);
      expect(problemLines(result)).toEqual([
        expect.stringContaining(`Could not scan ${join(root, 'locked')}: permission denied.`),
      ]);
    });

    it('reports a broken symlink where a folder is expected', async () => {
      const root = await fixture({ a: plugin('a') });
      await symlink(join(root, 'nowhere'), join(root, 'dangling'));
      const result = await scanPlugins({ roots: [root] });
      expect(names(result)).toEqual(['a']);
      expect(problemLines(result)).toEqual([
        expect.stringContaining(
          `Could not scan ${join(root, 'dangling')}: broken symlink (its target does not exist).`,
        ),
      ]);
    });

    it('reports links that point at each other (a → b → a) as a symlink loop', async () => {
      const root = await fixture({ real: plugin('real') });
      await symlink(join(root, 'b'), join(root, 'a'));
      await symlink(join(root, 'a'), join(root, 'b'));
      const result = await scanPlugins({ roots: [root] });
      expect(names(result)).toEqual(['real']);
      expect(problemLines(result)).toEqual([
        expect.stringContaining(`Could not scan ${join(root, 'a')}: symlink loop`),
        expect.stringContaining(`Could not scan ${join(root, 'b')}: symlink loop`),
      ]);
    });

    it('reports a link back to a folder above it as a symlink loop, once', async () => {
      const root = await fixture({ group: { a: plugin('a') } });
      await symlink(root, join(root, 'group', 'back'));
      const result = await scanPlugins({ roots: [root], maxDepth: 10 });
      expect(names(result)).toEqual(['a']);
      expect(problemLines(result)).toEqual([
        expect.stringContaining(
          `Could not scan ${join(root, 'group', 'back')}: symlink loop (it points to ${root}`,
        ),
      ]);
    });

    it('follows a link to a folder elsewhere', async () => {
      const base = await fixture({ shared: { x: plugin('x') }, root: {} });
      await symlink(join(base, 'shared'), join(base, 'root', 'shared'));
      const result = await scanPlugins({ roots: [join(base, 'root')] });
      expect(result.plugins.map((found) => found.dir)).toEqual([join(base, 'root', 'shared', 'x')]);
    });

    it('lists a folder reached twice once, under the path that sorts first', async () => {
      const root = await fixture({ b: plugin('p') });
      await symlink(join(root, 'b'), join(root, 'a'));
      const result = await scanPlugins({ roots: [root, join(root, 'b')] });
      expect(result.plugins.map((found) => found.dir)).toEqual([join(root, 'a')]);
      expect(result.problems).toEqual([]);
    });

    it('rejects invalid options, listing each', async () => {
      await expect(scanPlugins({ roots: ['x'], concurrency: 0, maxDepth: -1 })).rejects.toThrow(
        /Invalid scanPlugins\(\) options:\n {2}- concurrency: .*\n {2}- maxDepth: /,
      );
      await expect(scanPlugins({ roots: [], fs: {} as ScanFs })).rejects.toThrow(
        'fs: expected an object with readdir, readFile and realpath',
      );
      await expect(scanPlugins({} as { roots: string[] })).rejects.toMatchObject({
        code: 'PLUGIN_SCAN_OPTIONS_INVALID',
      });
    });
  });

  describe('duplicate names', () => {
    it('keeps the higher version and warns naming both manifest files', async () => {
      const root = await fixture({ a: plugin('dup', '1.2.0'), b: plugin('dup', '1.10.0') });
      const result = await scanPlugins({ roots: [root] });
      expect(result.plugins.map((found) => found.dir)).toEqual([join(root, 'b')]);
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toBeInstanceOf(PluginNameTakenError);
      expect(result.problems[0]?.message).toContain(
        `Plugin "dup" is declared twice: ${join(root, 'b', 'trellis.plugin.json')} is used, ${join(root, 'a', 'trellis.plugin.json')} is ignored.`,
      );
    });

    it('keeps the path that sorts first when versions are equal', async () => {
      const root = await fixture({ z: plugin('dup'), m: npmPlugin('dup') });
      const result = await scanPlugins({ roots: [root] });
      expect(result.plugins.map((found) => found.dir)).toEqual([join(root, 'm')]);
      expect(result.problems[0]?.details).toEqual({
        plugin: 'dup',
        winner: join(root, 'm', 'package.json'),
        loser: join(root, 'z', 'trellis.plugin.json'),
      });
    });

    it('resolves names across roots and node_modules alike', async () => {
      const app = await fixture({
        plugins: { auth: plugin('auth', '1.0.0') },
        node_modules: { auth: npmPlugin('auth', '2.0.0') },
      });
      const result = await scanPlugins({ roots: ['plugins'], nodeModules: ['node_modules'], cwd: app });
      expect(result.plugins.map((found) => found.dir)).toEqual([join(app, 'node_modules', 'auth')]);
      expect(result.problems.map((problem) => problem.code)).toEqual(['PLUGIN_NAME_TAKEN']);
    });
  });

  describe('concurrency and determinism', () => {
    const bigTree = (): Tree => {
      const tree: Record<string, Tree> = {};
      for (let group = 0; group < 5; group++) {
        const folder: Record<string, Tree> = {};
        for (let i = 0; i < 20; i++) folder[`p${i}`] = plugin(`p${i % 15}`, `1.${(group * i) % 4}.0`);
        tree[`g${group}`] = folder;
      }
      return tree;
    };

    /** A ScanFs that counts calls in flight and lists folders in reverse order. */
    function countingFs(): { fs: ScanFs; most: () => number; calls: () => number } {
      let running = 0;
      let most = 0;
      let calls = 0;
      const track =
        <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
        async (...args: A): Promise<R> => {
          calls++;
          most = Math.max(most, ++running);
          try {
            return await call(...args);
          } finally {
            running--;
          }
        };
      const fs: ScanFs = {
        readdir: track(async (dir: string) => [...(await nodeScanFs.readdir(dir))].reverse()),
        readFile: track(nodeScanFs.readFile),
        realpath: track(nodeScanFs.realpath),
      };
      return { fs, most: () => most, calls: () => calls };
    }

    const summary = (result: ScanResult) => ({
      plugins: result.plugins.map((found) => found.file),
      problems: problemLines(result),
    });

    it('never has more file-system calls in flight than the concurrency', async () => {
      const root = await fixture(bigTree());
      const one = countingFs();
      await scanPlugins({ roots: [root], concurrency: 1, fs: one.fs });
      expect(one.most()).toBe(1);
      const eight = countingFs();
      await scanPlugins({ roots: [root], concurrency: 8, fs: eight.fs });
      expect(eight.most()).toBeLessThanOrEqual(8);
      expect(eight.most()).toBeGreaterThan(1);
    });

    it('makes one listing per folder and one read per plugin', async () => {
      const root = await fixture(bigTree());
      const counting = countingFs();
      await scanPlugins({ roots: [root], fs: counting.fs });
      // 1 realpath of the root, 1 + 5 + 100 listings, 100 manifest reads
      expect(counting.calls()).toBe(1 + 106 + 100);
    });

    it('gives the same result whatever the concurrency or listing order', async () => {
      const root = await fixture(bigTree());
      const reference = summary(await scanPlugins({ roots: [root], concurrency: 64 }));
      expect(reference.plugins).toHaveLength(15);
      expect(reference.problems).toHaveLength(85);
      expect(summary(await scanPlugins({ roots: [root], concurrency: 1 }))).toEqual(reference);
      expect(summary(await scanPlugins({ roots: [root], concurrency: 3, fs: countingFs().fs }))).toEqual(
        reference,
      );
    });
  });
});
