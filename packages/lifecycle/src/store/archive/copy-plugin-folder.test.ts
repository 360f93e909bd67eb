import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { copyPluginFolder } from './copy-plugin-folder.js';

const MANIFEST = JSON.stringify({ name: 'billing', version: '1.2.0', platform: '^0.1.0' });

let work: string;
let source: string;
let dest: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'trellis-copy-'));
  source = join(work, 'source');
  dest = join(work, 'store', 'billing');
  await mkdir(join(source, 'lib'), { recursive: true });
  await writeFile(join(source, 'trellis.plugin.json'), MANIFEST);
  await writeFile(join(source, 'lib', 'index.js'), 'export default 1;\n');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function refused(from = source) {
  const error = await copyPluginFolder(from, dest).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof TrellisError)) throw new Error(`expected a TrellisError, got ${String(error)}`);
  return error;
}

describe('copyPluginFolder', () => {
  it('leaves a development node_modules (workspace links) out, as npm pack does, unless dependencies are bundled', async () => {
    await mkdir(join(source, 'node_modules', '@trellis'), { recursive: true });
    await symlink('../../../../../node_modules/.pnpm/core', join(source, 'node_modules', '@trellis', 'core'));
    const result = await copyPluginFolder(source, dest);
    expect((await readdir(dest)).sort()).not.toContain('node_modules');
    expect(result.files).toBeGreaterThan(0);

    const bundled = join(work, 'bundled');
    await mkdir(join(bundled, 'node_modules', 'dep'), { recursive: true });
    await writeFile(join(bundled, 'trellis.plugin.json'), MANIFEST);
    await writeFile(
      join(bundled, 'package.json'),
      JSON.stringify({ name: 'billing', bundleDependencies: ['dep'] }),
    );
    await writeFile(join(bundled, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
    const copied = join(work, 'bundled-copy');
    await copyPluginFolder(bundled, copied);
    expect(await readFile(join(copied, 'node_modules', 'dep', 'index.js'), 'utf8')).toBe(
      'module.exports = 1;\n',
    );
  });

  it('copies every file, keeps inside links as links, and skips only the top-level .git', async () => {
    await mkdir(join(source, '.git'));
    await writeFile(join(source, '.git', 'HEAD'), 'ref');
    await mkdir(join(source, 'lib', '.git'));
    await writeFile(join(source, 'lib', '.git', 'kept'), 'nested .git is plugin content');
    await mkdir(join(source, 'tools', '.bin'), { recursive: true });
    await symlink('../../lib/index.js', join(source, 'tools', '.bin', 'run'));
    await mkdir(join(source, 'empty'));

    const result = await copyPluginFolder(source, dest);

    expect(result).toEqual({
      root: dest,
      files: 3,
      bytes: MANIFEST.length + 'export default 1;\n'.length + 'nested .git is plugin content'.length,
    });
    expect((await readdir(dest)).sort()).toEqual(['empty', 'lib', 'tools', 'trellis.plugin.json']);
    expect(await readlink(join(dest, 'tools', '.bin', 'run'))).toBe('../../lib/index.js');
    expect(await readFile(join(dest, 'tools', '.bin', 'run'), 'utf8')).toBe('export default 1;\n');
    expect(await readFile(join(dest, 'lib', '.git', 'kept'), 'utf8')).toBe('nested .git is plugin content');
    expect(await readdir(join(work, 'store'))).toEqual(['billing']);
  });

  it.each([
    ['a relative target climbing out', '../../outside'],
    ['an absolute target', '/etc'],
  ])('refuses a symbolic link with %s, writing nothing', async (_what, target) => {
    await symlink(target, join(source, 'lib', 'escape'));

    const error = await refused();

    expect(error.code).toBe('PLUGIN_ARCHIVE_UNSAFE');
    expect(error.message).toContain(`Plugin folder ${source}`);
    expect(error.details).toMatchObject({ entry: 'lib/escape', target, reason: 'link-escape' });
    await expect(lstat(join(work, 'store'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a link that reaches out through another link of the folder', async () => {
    // lib/up points at the folder itself; lib/up/.. is then the folder's parent.
    await symlink('..', join(source, 'lib', 'up'));
    await symlink('lib/up/..', join(source, 'sneaky'));

    expect((await refused()).details).toMatchObject({ entry: 'sneaky', reason: 'link-escape' });
  });

  it('refuses a FIFO', async () => {
    execFileSync('mkfifo', [join(source, 'pipe')]);

    expect((await refused()).details).toMatchObject({ entry: 'pipe', reason: 'device' });
  });

  it('refuses a folder without a manifest and leaves the destination absent', async () => {
    await rm(join(source, 'trellis.plugin.json'));

    const error = await refused();

    expect(error.code).toBe('PLUGIN_ARCHIVE_INVALID');
    expect(error.message).toContain('no plugin manifest');
    await expect(lstat(dest)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(join(work, 'store'))).toEqual([]);
  });

  it('refuses a source that is a file, or missing', async () => {
    const file = join(source, 'trellis.plugin.json');

    expect((await refused(file)).message).toContain('it is not a folder');
    expect((await refused(join(work, 'nowhere'))).message).toContain('ENOENT');
  });

  it('refuses a destination that is not empty', async () => {
    await mkdir(dest, { recursive: true });
    await writeFile(join(dest, 'x'), 'x');

    expect((await refused()).message).toContain('is not empty');
    expect(await readdir(dest)).toEqual(['x']);
  });
});

describe('copyPluginFolder and package.json "files"', () => {
  it('copies only what the files list names, with package.json, the manifest, main and README', async () => {
    const folder = join(work, 'listed');
    await mkdir(join(folder, 'dist', 'lib'), { recursive: true });
    await mkdir(join(folder, 'src'), { recursive: true });
    await mkdir(join(folder, 'coverage'), { recursive: true });
    await writeFile(
      join(folder, 'package.json'),
      JSON.stringify({ name: 'billing', main: 'entry.js', files: ['dist/', './schemas/*.json'] }),
    );
    await writeFile(join(folder, 'trellis.plugin.json'), MANIFEST);
    await writeFile(join(folder, 'README.md'), '# billing');
    await writeFile(join(folder, 'entry.js'), 'export {};');
    await writeFile(join(folder, 'dist', 'lib', 'index.js'), 'export {};');
    await mkdir(join(folder, 'schemas'));
    await writeFile(join(folder, 'schemas', 'a.json'), '{}');
    await writeFile(join(folder, 'schemas', 'a.txt'), 'left out');
    await writeFile(join(folder, 'src', 'index.test.ts'), 'left out');
    await writeFile(join(folder, 'coverage', 'lcov.info'), 'left out');
    const copied = join(work, 'listed-copy');
    await copyPluginFolder(folder, copied);
    const { walkPluginFolder } = await import('./walk-plugin-folder.js');
    expect((await walkPluginFolder(copied)).filter((e) => e.kind === 'file').map((e) => e.path)).toEqual([
      'README.md',
      'dist/lib/index.js',
      'entry.js',
      'package.json',
      'schemas/a.json',
      'trellis.plugin.json',
    ]);
  });
});
