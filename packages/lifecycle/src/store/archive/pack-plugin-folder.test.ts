import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { list } from 'tar';
import { packPluginFolder } from './pack-plugin-folder.js';

let work: string;
let folder: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'trellis-pack-'));
  folder = join(work, 'plugin');
  await mkdir(join(folder, 'lib'), { recursive: true });
  await mkdir(join(folder, '.git'));
  await writeFile(join(folder, '.git', 'HEAD'), 'ref');
  await writeFile(join(folder, 'trellis.plugin.json'), '{}');
  await writeFile(join(folder, 'lib', 'index.js'), 'x');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function entryPaths(file: string): Promise<string[]> {
  const paths: string[] = [];
  await list({ file, onReadEntry: (entry) => paths.push(entry.path) });
  return paths;
}

describe('packPluginFolder', () => {
  it('puts every entry but .git under package/, as npm pack does', async () => {
    const packed = await packPluginFolder(folder, join(work, 'out', 'plugin.tgz'));

    expect(packed.files).toBe(2);
    expect(packed.file).toBe(join(work, 'out', 'plugin.tgz'));
    expect((await entryPaths(packed.file)).sort()).toEqual([
      'package/lib/',
      'package/lib/index.js',
      'package/trellis.plugin.json',
    ]);
    expect(await readdir(join(work, 'out'))).toEqual(['plugin.tgz']);
  });

  it('gives the same bytes for the same content', async () => {
    const first = await packPluginFolder(folder, join(work, 'a.tgz'));
    const second = await packPluginFolder(folder, join(work, 'b.tgz'));

    expect(second.archiveBytes).toBe(first.archiveBytes);
    expect(await readFile(second.file)).toEqual(await readFile(first.file));
  });

  it('refuses a folder with a link leading outside it and writes no archive', async () => {
    await symlink('/etc/passwd', join(folder, 'lib', 'passwd'));

    const error = await packPluginFolder(folder, join(work, 'bad.tgz')).catch((thrown: unknown) => thrown);

    expect(TrellisError.is(error, 'PLUGIN_ARCHIVE_UNSAFE')).toBe(true);
    expect((error as Error).message).toContain('entry "lib/passwd"');
    expect(await readdir(work)).toEqual(['plugin']);
  });
});
