import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type LoadResult, loadPluginEntry } from './load-plugin-entry.js';

// Plugin fixtures live in temp folders that cannot resolve '@trellis/core'; they build the
// branded object definePlugin returns by hand (the brand is a registered symbol).
const plugin = (version: string) => `{ [Symbol.for('@trellis/core.Plugin')]: true, version: '${version}' }`;

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-load-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function pluginFolder(files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await mkdtemp(join(root, 'plugin-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

function versionOf(result: LoadResult): unknown {
  if (!result.ok) throw result.error;
  return (result.plugin as unknown as { version: string }).version;
}

function failureOf(result: LoadResult) {
  if (result.ok) throw new Error(`expected a load failure, got a plugin from ${result.file}`);
  return result.error;
}

describe('loadPluginEntry', () => {
  it('loads an ESM .mjs entry exporting `plugin`', async () => {
    const dir = await pluginFolder({ 'index.mjs': `export const plugin = ${plugin('esm')};` });
    const result = await loadPluginEntry({ name: 'esm', dir, main: 'index.mjs' });
    expect(versionOf(result)).toBe('esm');
  });

  it('loads an ESM .js default export under "type": "module"', async () => {
    const dir = await pluginFolder({
      'package.json': '{ "type": "module" }',
      'dist/index.js': `export default ${plugin('esm-js')};`,
    });
    const result = await loadPluginEntry({ name: 'esm-js', dir, main: 'dist/index.js' });
    expect(versionOf(result)).toBe('esm-js');
  });

  it('loads a CommonJS .cjs entry whose module.exports is the plugin', async () => {
    const dir = await pluginFolder({ 'index.cjs': `module.exports = ${plugin('cjs')};` });
    const result = await loadPluginEntry({ name: 'cjs', dir, main: 'index.cjs' });
    expect(versionOf(result)).toBe('cjs');
  });

  it('loads a CommonJS .js entry exporting `plugin` in a folder without "type": "module"', async () => {
    const dir = await pluginFolder({
      'package.json': '{ "name": "cjs-js" }',
      'index.js': `exports.plugin = ${plugin('cjs-js')};`,
    });
    const result = await loadPluginEntry({ name: 'cjs-js', dir, main: 'index.js' });
    expect(versionOf(result)).toBe('cjs-js');
  });

  it('loads CommonJS compiled from `export default` (exports.default)', async () => {
    const dir = await pluginFolder({
      'index.cjs': `Object.defineProperty(exports, '__esModule', { value: true });\nexports.default = ${plugin('compiled')};`,
    });
    const result = await loadPluginEntry({ name: 'compiled', dir, main: 'index.cjs' });
    expect(versionOf(result)).toBe('compiled');
  });

  it('returns the absolute entry file and the import duration', async () => {
    const dir = await pluginFolder({ 'index.mjs': `export const plugin = ${plugin('timed')};` });
    const result = await loadPluginEntry({ name: 'timed', dir, main: './index.mjs' });
    expect(result).toMatchObject({ ok: true, file: join(dir, 'index.mjs') });
    expect(result.ok && result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('rejects an export that is not a definePlugin result, naming what it found', async () => {
    const dir = await pluginFolder({
      'index.mjs': 'export const start = () => {};\nexport const version = 1;',
    });
    const error = failureOf(await loadPluginEntry({ name: 'shapeless', dir, main: 'index.mjs' }));
    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toContain('exports no definePlugin(...) result');
    expect(error.message).toContain('found: start, version');
    expect(error.details).toMatchObject({ plugin: 'shapeless', file: join(dir, 'index.mjs') });
  });

  it('names the properties of a CommonJS module.exports that is not a plugin', async () => {
    const dir = await pluginFolder({ 'index.cjs': 'module.exports = { setup() {}, stop() {} };' });
    const error = failureOf(await loadPluginEntry({ name: 'cjs-shape', dir, main: 'index.cjs' }));
    expect(error.message).toContain('found: default, default.setup, default.stop');
  });

  it('shortens a long list of exports', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `export const e${i} = ${i};`).join('\n');
    const dir = await pluginFolder({ 'index.mjs': names });
    const error = failureOf(await loadPluginEntry({ name: 'many', dir, main: 'index.mjs' }));
    expect(error.message).toContain('e7, …)');
  });

  it('rejects an entry with no exports at all', async () => {
    const dir = await pluginFolder({ 'index.mjs': 'globalThis.touched = true;' });
    const error = failureOf(await loadPluginEntry({ name: 'empty', dir, main: 'index.mjs' }));
    expect(error.message).toContain('found: no exports');
  });

  it('captures the stack of an entry that throws while it is evaluated', async () => {
    const dir = await pluginFolder({ 'index.mjs': `throw new Error('database unreachable');` });
    const error = failureOf(await loadPluginEntry({ name: 'thrower', dir, main: 'index.mjs' }));
    expect(error.message).toContain('database unreachable');
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.details.stack).toContain(join(dir, 'index.mjs'));
  });

  it('reports a thrown non-error value by its text', async () => {
    const dir = await pluginFolder({ 'index.mjs': `throw 'not an error';` });
    const error = failureOf(await loadPluginEntry({ name: 'odd', dir, main: 'index.mjs' }));
    expect(error.message).toContain('not an error');
    expect(error.details.stack).toBeUndefined();
  });

  it('reports a syntax error as a load failure', async () => {
    const dir = await pluginFolder({ 'index.mjs': 'export const = ;' });
    const error = failureOf(await loadPluginEntry({ name: 'broken', dir, main: 'index.mjs' }));
    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toMatch(/Unexpected token/);
  });

  it('reports a missing entry file as a load failure', async () => {
    const dir = await pluginFolder({ 'index.mjs': '' });
    const error = failureOf(await loadPluginEntry({ name: 'missing', dir, main: 'dist/index.mjs' }));
    expect(error.details).toMatchObject({ file: join(dir, 'dist', 'index.mjs') });
  });

  it('refuses a `main` that leaves the plugin folder through `..`, without importing it', async () => {
    const dir = await pluginFolder({ 'index.mjs': '' });
    await writeFile(join(root, 'outside.mjs'), `throw new Error('must not run');`);
    const error = failureOf(await loadPluginEntry({ name: 'escape', dir, main: '../outside.mjs' }));
    expect(error.message).toContain('must be a path inside the plugin folder');
    expect(error.details.stack).toBeUndefined();
  });

  it('refuses an absolute `main`', async () => {
    const dir = await pluginFolder({ 'index.mjs': `export const plugin = ${plugin('abs')};` });
    const error = failureOf(await loadPluginEntry({ name: 'abs', dir, main: join(dir, 'index.mjs') }));
    expect(error.message).toContain('must be a path inside the plugin folder');
  });

  it('refuses a `main` naming the plugin folder itself', async () => {
    const dir = await pluginFolder({ 'index.mjs': '' });
    const error = failureOf(await loadPluginEntry({ name: 'self', dir, main: '.' }));
    expect(error.message).toContain('must be a path inside the plugin folder');
  });

  it('evaluates the entry again with `fresh: true`', async () => {
    const dir = await pluginFolder({ 'index.mjs': `export const plugin = ${plugin('v1')};` });
    const first = await loadPluginEntry({ name: 'fresh', dir, main: 'index.mjs' });
    const cached = await loadPluginEntry({ name: 'fresh', dir, main: 'index.mjs' });
    const fresh = await loadPluginEntry({ name: 'fresh', dir, main: 'index.mjs' }, { fresh: true });
    expect(cached.ok && first.ok && cached.plugin === first.plugin).toBe(true);
    expect(fresh.ok && first.ok && fresh.plugin !== first.plugin).toBe(true);
  });

  // Jest's require.cache ignores deletes, so only plain Node (below) shows the re-evaluation.
  it('loads a CommonJS entry with `fresh: true`, leaving its node_modules cached', async () => {
    const dir = await pluginFolder({
      'index.cjs': `require('dep');\nmodule.exports = ${plugin('v1')};`,
      'node_modules/dep/index.js': 'module.exports = {};',
    });
    await loadPluginEntry({ name: 'fresh-cjs', dir, main: 'index.cjs' });
    const fresh = await loadPluginEntry({ name: 'fresh-cjs', dir, main: 'index.cjs' }, { fresh: true });
    expect(versionOf(fresh)).toBe('v1');
  });
});

// Jest loads modules through its own registry and caches file contents for the whole test file,
// so a file changed on disk is never seen again in-process. What a reload picks up on Node 24 is
// checked in a plain Node child process, which loads this module's TypeScript source directly.
describe('loadPluginEntry with fresh: true in plain Node', () => {
  const execFileAsync = promisify(execFile);

  async function runInNode(script: string, flags: readonly string[] = []): Promise<unknown> {
    const hooks = `
      import { registerHooks } from 'node:module';
      registerHooks({
        resolve(specifier, context, next) {
          try { return next(specifier, context); } catch (error) {
            if (!specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;
            return next(specifier.slice(0, -3) + '.ts', context);
          }
        },
      });
      const { loadPluginEntry } = await import(${JSON.stringify(pathToFileURL(join(__dirname, 'load-plugin-entry.ts')).href)});
      const { writeFileSync } = await import('node:fs');
      const version = (result) => result.ok ? result.plugin.version : result.error.message;
    `;
    const { stdout } = await execFileAsync(
      process.execPath,
      [...flags, '--disable-warning=ExperimentalWarning', '--input-type=module', '-e', `${hooks}\n${script}`],
      { env: { ...process.env, NODE_OPTIONS: '' } },
    );
    return JSON.parse(stdout);
  }

  it('picks up a changed entry; CommonJS re-reads its own files but not node_modules, ESM neither', async () => {
    const esm = await pluginFolder({
      'index.mjs': `import { helper } from './helper.mjs';\nexport const plugin = { ...${plugin('v1')}, helper };`,
      'helper.mjs': `export const helper = 'h1';`,
    });
    const cjs = await pluginFolder({
      'package.json': '{ "name": "cjs" }',
      'index.js': `require('dep');\nmodule.exports = { ...${plugin('v1')}, helper: require('./helper.js') };`,
      'helper.js': `module.exports = 'h1';`,
      'node_modules/dep/index.js': 'globalThis.depLoads = (globalThis.depLoads ?? 0) + 1;',
    });
    const cjsExt = await pluginFolder({ 'index.cjs': `module.exports = ${plugin('v1')};` });
    const result = await runInNode(`
      const esm = { name: 'esm', dir: ${JSON.stringify(esm)}, main: 'index.mjs' };
      const cjs = { name: 'cjs', dir: ${JSON.stringify(cjs)}, main: 'index.js' };
      const cjsExt = { name: 'cjsExt', dir: ${JSON.stringify(cjsExt)}, main: 'index.cjs' };
      const out = {};
      for (const entry of [esm, cjs, cjsExt]) {
        const first = await loadPluginEntry(entry);
        out[entry.name] = { first: [version(first), first.plugin.helper] };
      }
      writeFileSync(esm.dir + '/index.mjs', "import { helper } from './helper.mjs'; export const plugin = { [Symbol.for('@trellis/core.Plugin')]: true, version: 'v2', helper };");
      writeFileSync(esm.dir + '/helper.mjs', "export const helper = 'h2';");
      writeFileSync(cjs.dir + '/index.js', "require('dep'); module.exports = { [Symbol.for('@trellis/core.Plugin')]: true, version: 'v2', helper: require('./helper.js') };");
      writeFileSync(cjs.dir + '/helper.js', "module.exports = 'h2';");
      writeFileSync(cjsExt.dir + '/index.cjs', "module.exports = { [Symbol.for('@trellis/core.Plugin')]: true, version: 'v2' };");
      for (const entry of [esm, cjs, cjsExt]) {
        const cached = await loadPluginEntry(entry);
        const fresh = await loadPluginEntry(entry, { fresh: true });
        Object.assign(out[entry.name], { cached: version(cached), fresh: [version(fresh), fresh.plugin.helper] });
      }
      out.depLoads = globalThis.depLoads;
      console.log(JSON.stringify(out));
    `);
    expect(result).toEqual({
      esm: { first: ['v1', 'h1'], cached: 'v1', fresh: ['v2', 'h1'] },
      cjs: { first: ['v1', 'h1'], cached: 'v1', fresh: ['v2', 'h2'] },
      cjsExt: { first: ['v1', null], cached: 'v1', fresh: ['v2', null] },
      depLoads: 1,
    });
  });

  it('reports changed code that fails with its stack, then loads the fixed code', async () => {
    const esm = await pluginFolder({ 'index.mjs': `export const plugin = ${plugin('v1')};` });
    const cjs = await pluginFolder({ 'index.cjs': `module.exports = ${plugin('v1')};` });
    const result = await runInNode(`
      const out = {};
      for (const [entry, broken, fixed] of [
        [{ name: 'esm', dir: ${JSON.stringify(esm)}, main: 'index.mjs' }, "throw new Error('bad v2')", "export const plugin = { [Symbol.for('@trellis/core.Plugin')]: true, version: 'v3' };"],
        [{ name: 'cjs', dir: ${JSON.stringify(cjs)}, main: 'index.cjs' }, "throw new Error('bad v2')", "module.exports = { [Symbol.for('@trellis/core.Plugin')]: true, version: 'v3' };"],
      ]) {
        const first = await loadPluginEntry(entry);
        writeFileSync(entry.dir + '/' + entry.main, broken);
        const failed = await loadPluginEntry(entry, { fresh: true });
        writeFileSync(entry.dir + '/' + entry.main, fixed);
        const again = await loadPluginEntry(entry, { fresh: true });
        out[entry.name] = [version(first), failed.ok, failed.error.details.stack.includes(entry.main), version(again)];
      }
      console.log(JSON.stringify(out));
    `);
    expect(result).toEqual({ esm: ['v1', false, true, 'v3'], cjs: ['v1', false, true, 'v3'] });
  });

  // Backs the memory note in loadPluginEntry's documentation: if Node starts evicting ESM
  // modules, this fails and the note needs updating.
  it('keeps every fresh ESM version in memory, and lets old CommonJS versions go', async () => {
    const code = (format: 'esm' | 'cjs') =>
      `${format === 'esm' ? 'export const plugin =' : 'module.exports ='} { ...${plugin('big')}, size: '${'x'.repeat(1_000_000)}'.length };`;
    const esm = await pluginFolder({ 'index.mjs': code('esm') });
    const cjs = await pluginFolder({ 'index.cjs': code('cjs') });
    const result = await runInNode(
      `
      const heapMb = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed / 1e6; };
      const growth = {};
      for (const entry of [{ name: 'esm', dir: ${JSON.stringify(esm)}, main: 'index.mjs' }, { name: 'cjs', dir: ${JSON.stringify(cjs)}, main: 'index.cjs' }]) {
        await loadPluginEntry(entry);
        const before = heapMb();
        for (let i = 0; i < 30; i += 1) await loadPluginEntry(entry, { fresh: true });
        growth[entry.name] = heapMb() - before;
      }
      console.log(JSON.stringify(growth));
    `,
      ['--expose-gc'],
    );
    const growth = result as { esm: number; cjs: number };
    expect(growth.esm).toBeGreaterThan(20); // 30 reloads of a 1 MB module
    expect(growth.cjs).toBeLessThan(5);
  });
});
