import { execFileSync } from 'node:child_process';
import {
  link,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import type { PluginArchiveUnsafeError } from './archive-errors.js';
import { extractPluginArchive } from './extract-plugin-archive.js';
import { packPluginFolder } from './pack-plugin-folder.js';
import { type RawTarEntry, rawTar, writeRawArchive } from './tar-fixtures.js';

const MANIFEST = JSON.stringify({ name: 'billing', version: '1.2.0', platform: '^0.1.0' });

let work: string;
let dest: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'trellis-archive-'));
  dest = join(work, 'installed', 'billing');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A gzip tar of `entries` under `package/`, manifest first. */
function npmStyle(...entries: RawTarEntry[]): RawTarEntry[] {
  return [{ path: 'package/trellis.plugin.json', body: MANIFEST }, ...entries];
}

/** Runs the extraction expecting a refusal; returns the error. */
async function refused(archive: string, options?: Parameters<typeof extractPluginArchive>[2]) {
  const error = await extractPluginArchive(archive, dest, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof TrellisError)) throw new Error(`expected a TrellisError, got ${String(error)}`);
  return error;
}

/** Everything below `work` apart from the archives the test wrote: proves nothing was written. */
async function writtenBesideArchives(): Promise<string[]> {
  const all = await readdir(work, { recursive: true });
  return all.filter((path) => !path.endsWith('.tgz'));
}

async function pluginFolder(): Promise<string> {
  const folder = join(work, 'src');
  await mkdir(join(folder, 'lib'), { recursive: true });
  await mkdir(join(folder, 'node_modules', 'dep'), { recursive: true });
  await mkdir(join(folder, '.git'), { recursive: true });
  await writeFile(join(folder, 'trellis.plugin.json'), MANIFEST);
  await writeFile(join(folder, 'lib', 'index.js'), 'export default 1;\n');
  await writeFile(join(folder, 'node_modules', 'dep', 'index.js'), 'module.exports = 2;\n');
  await writeFile(join(folder, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  await symlink('lib/index.js', join(folder, 'main.js'));
  await link(join(folder, 'lib', 'index.js'), join(folder, 'lib', 'same.js'));
  return folder;
}

describe('extractPluginArchive', () => {
  it('round-trips a packed plugin folder: files, links and content, without .git', async () => {
    const archive = join(work, 'billing.tgz');
    await packPluginFolder(await pluginFolder(), archive);

    const result = await extractPluginArchive(archive, dest);

    expect(result.root).toBe(dest);
    expect(result.files).toBe(4);
    expect(result.bytes).toBe(
      MANIFEST.length + 2 * 'export default 1;\n'.length + 'module.exports = 2;\n'.length,
    );
    expect(await readFile(join(dest, 'lib', 'index.js'), 'utf8')).toBe('export default 1;\n');
    expect(await readFile(join(dest, 'node_modules', 'dep', 'index.js'), 'utf8')).toBe(
      'module.exports = 2;\n',
    );
    expect(await readlink(join(dest, 'main.js'))).toBe('lib/index.js');
    expect(await readFile(join(dest, 'lib', 'same.js'), 'utf8')).toBe('export default 1;\n');
    expect((await readdir(dest)).sort()).toEqual(['lib', 'main.js', 'node_modules', 'trellis.plugin.json']);
    // The staging folder is gone once the plugin is in place.
    expect(await readdir(join(work, 'installed'))).toEqual(['billing']);
  });

  it('installs an archive whose files are at the top level, with no common folder', async () => {
    const archive = await writeRawArchive(join(work, 'flat.tgz'), [
      { path: 'trellis.plugin.json', body: MANIFEST },
      { path: 'lib/', type: 'Directory' },
      { path: 'lib/index.js', body: 'x' },
    ]);

    await extractPluginArchive(archive, dest);

    expect((await readdir(dest)).sort()).toEqual(['lib', 'trellis.plugin.json']);
    expect(await readFile(join(dest, 'lib', 'index.js'), 'utf8')).toBe('x');
  });

  it('accepts a plain (uncompressed) tar and a manifest in package.json', async () => {
    const archive = join(work, 'plain.tgz');
    const pkg = { name: 'billing', version: '1.0.0', trellis: { platform: '^0.1.0' } };
    await writeFile(archive, rawTar([{ path: 'package/package.json', body: JSON.stringify(pkg) }]));

    await extractPluginArchive(archive, dest);

    expect(JSON.parse(await readFile(join(dest, 'package.json'), 'utf8'))).toEqual(pkg);
  });

  it('installs into an existing empty destination', async () => {
    const archive = await writeRawArchive(join(work, 'ok.tgz'), npmStyle());
    await mkdir(dest, { recursive: true });

    await extractPluginArchive(archive, dest);

    expect(await readdir(dest)).toEqual(['trellis.plugin.json']);
  });

  it('clears setuid, setgid and sticky bits an archive sets on its files', async () => {
    const archive = await writeRawArchive(
      join(work, 'suid.tgz'),
      npmStyle({ path: 'package/run', body: '#!/bin/sh\n', mode: 0o6755 }),
    );

    await extractPluginArchive(archive, dest);

    expect((await stat(join(dest, 'run'))).mode & 0o7000).toBe(0);
  });

  it('extracts a hard link to a file inside the plugin as a hard link', async () => {
    const archive = await writeRawArchive(
      join(work, 'hard-ok.tgz'),
      npmStyle({ path: 'package/h', type: 'Link', linkpath: 'package/trellis.plugin.json' }),
    );

    await extractPluginArchive(archive, dest);

    expect((await stat(join(dest, 'h'))).ino).toBe((await stat(join(dest, 'trellis.plugin.json'))).ino);
  });

  describe('refuses, writing nothing, an archive with', () => {
    it.each([
      ['a zip-slip entry', 'package/../evil', 'parent-segment'],
      ['a top-level parent entry', '../evil', 'parent-segment'],
      ['a backslash parent entry', 'package\\..\\evil', 'parent-segment'],
      ['an absolute POSIX path', '/tmp/trellis-evil', 'absolute-path'],
      ['a Windows drive path', 'C:\\evil', 'absolute-path'],
      ['a Windows UNC path', '\\\\server\\share\\evil', 'absolute-path'],
    ])('%s', async (_what, path, reason) => {
      const archive = await writeRawArchive(join(work, 'evil.tgz'), npmStyle({ path, body: 'pwned' }));

      const error = await refused(archive);

      expect(error.code).toBe('PLUGIN_ARCHIVE_UNSAFE');
      expect((error as PluginArchiveUnsafeError).reason).toBe(reason);
      expect(error.message).toContain(JSON.stringify(path));
      expect(error.details).toMatchObject({ archive, entry: path });
      expect(await writtenBesideArchives()).toEqual([]);
    });

    it.each([
      ['a relative target climbing out', 'package/link', '../../outside'],
      ['an absolute target', 'package/link', '/etc'],
      ['a target climbing out from a subfolder', 'package/a/link', '../../x'],
      ['a Windows absolute target', 'package/link', 'C:\\Windows'],
    ])('a symbolic link with %s', async (_what, path, target) => {
      const archive = await writeRawArchive(
        join(work, 'link.tgz'),
        npmStyle({ path, type: 'SymbolicLink', linkpath: target }),
      );

      const error = await refused(archive);

      expect(error.code).toBe('PLUGIN_ARCHIVE_UNSAFE');
      expect((error as PluginArchiveUnsafeError).reason).toBe('link-escape');
      expect(error.message).toContain(`entry ${JSON.stringify(path)}`);
      expect(error.message).toContain(JSON.stringify(target));
      expect(await writtenBesideArchives()).toEqual([]);
    });

    it('a chain of links that each look inside but together lead outside', async () => {
      // d/l points at the root; y = d/l/.. is "d" on paper but the root's parent on disk.
      const archive = await writeRawArchive(
        join(work, 'chain.tgz'),
        npmStyle(
          { path: 'package/d/', type: 'Directory' },
          { path: 'package/d/l', type: 'SymbolicLink', linkpath: '..' },
          { path: 'package/y', type: 'SymbolicLink', linkpath: 'd/l/..' },
        ),
      );

      const error = await refused(archive);

      expect((error as PluginArchiveUnsafeError).reason).toBe('link-escape');
      expect(error.details).toMatchObject({ entry: 'package/y', target: 'd/l/..' });
    });

    it('a symbolic link loop', async () => {
      const archive = await writeRawArchive(
        join(work, 'loop.tgz'),
        npmStyle(
          { path: 'package/a', type: 'SymbolicLink', linkpath: 'b' },
          { path: 'package/b', type: 'SymbolicLink', linkpath: 'a' },
        ),
      );

      expect((await refused(archive)).details).toMatchObject({ entry: 'package/a', reason: 'link-escape' });
    });

    it('an entry written through a symbolic link it also holds', async () => {
      const archive = await writeRawArchive(
        join(work, 'through.tgz'),
        npmStyle(
          { path: 'package/sub/', type: 'Directory' },
          { path: 'package/l', type: 'SymbolicLink', linkpath: 'sub' },
          { path: 'package/l/x.js', body: 'x' },
        ),
      );

      const error = await refused(archive);

      expect((error as PluginArchiveUnsafeError).reason).toBe('through-link');
      expect(error.message).toContain('"package/l/x.js"');
      expect(await writtenBesideArchives()).toEqual([]);
    });

    it.each([
      ['outside the plugin folder', 'etc/passwd', 'link-escape'],
      ['absolute', '/etc/passwd', 'link-escape'],
      ['with a parent segment', 'package/../package/x', 'parent-segment'],
    ])('a hard link %s', async (_what, target, reason) => {
      const archive = await writeRawArchive(
        join(work, 'hard.tgz'),
        npmStyle({ path: 'package/h', type: 'Link', linkpath: target }),
      );

      const error = await refused(archive);

      expect((error as PluginArchiveUnsafeError).reason).toBe(reason);
      expect(error.details).toMatchObject({ entry: 'package/h' });
      expect(await writtenBesideArchives()).toEqual([]);
    });

    it.each([
      ['CharacterDevice', 'package/null'],
      ['BlockDevice', 'package/sda'],
      ['FIFO', 'package/pipe'],
    ] as const)('a %s entry', async (type, path) => {
      const archive = await writeRawArchive(join(work, 'dev.tgz'), npmStyle({ path, type }));

      const error = await refused(archive);

      expect((error as PluginArchiveUnsafeError).reason).toBe('device');
      expect(error.message).toContain(`entry "${path}" is a ${type} entry`);
      expect(await writtenBesideArchives()).toEqual([]);
    });

    it('an entry type tar does not extract', async () => {
      const archive = await writeRawArchive(
        join(work, 'odd.tgz'),
        npmStyle({ path: 'package/tape', type: 'TapeVolumeHeader' }),
      );

      expect((await refused(archive)).details).toMatchObject({
        reason: 'unsupported-type',
        entry: 'package/tape',
      });
    });

    it('more entries than maxEntries, naming the first entry past it', async () => {
      const archive = await writeRawArchive(
        join(work, 'many.tgz'),
        npmStyle(...['a', 'b', 'c', 'd'].map((name) => ({ path: `package/${name}.js`, body: name }))),
      );

      const error = await refused(archive, { maxEntries: 3 });

      expect((error as PluginArchiveUnsafeError).reason).toBe('too-many-entries');
      expect(error.details).toMatchObject({ entry: 'package/c.js', limit: 3 });
      expect(await writtenBesideArchives()).toEqual([]);
    });

    it('more uncompressed bytes than maxBytes', async () => {
      const archive = await writeRawArchive(
        join(work, 'big.tgz'),
        npmStyle({ path: 'package/zeros.bin', body: Buffer.alloc(4096) }),
      );

      const error = await refused(archive, { maxBytes: 4096 });

      expect((error as PluginArchiveUnsafeError).reason).toBe('too-large');
      expect(error.message).toContain('"package/zeros.bin"');
      expect(await writtenBesideArchives()).toEqual([]);
    });

    it('a zip bomb, refused by the default limits', async () => {
      // 501 MB of zeros gzip to about 500 KB: rejected on the declared size, before any write.
      const archive = join(work, 'bomb.tgz');
      const header = Buffer.alloc(512);
      const size = 501 * 1024 * 1024;
      const { Header } = await import('tar');
      new Header({ path: 'package/bomb', type: 'File', size, mode: 0o644, mtime: new Date(0) }).encode(
        header,
        0,
      );
      // Only the start of the body: listing stops at the header, so the rest is never needed.
      await writeFile(archive, gzipSync(Buffer.concat([header, Buffer.alloc(1024 * 1024)])));

      const error = await refused(archive);

      expect((error as PluginArchiveUnsafeError).reason).toBe('too-large');
      expect(error.details).toMatchObject({ limit: 500 * 1024 * 1024 });
    });
  });

  describe('refuses as invalid', () => {
    it('a file that is not a gzip tar', async () => {
      const archive = join(work, 'notes.tgz');
      await writeFile(archive, 'these are not the bytes you are looking for'.repeat(20));

      const error = await refused(archive);

      expect(error.code).toBe('PLUGIN_ARCHIVE_INVALID');
      expect(error.message).toContain(archive);
      expect(error.message).toContain('not a readable gzip tar');
      expect(await writtenBesideArchives()).toEqual([]);
    });

    it('a truncated gzip', async () => {
      const archive = join(work, 'cut.tgz');
      const whole = gzipSync(rawTar(npmStyle({ path: 'package/a.js', body: 'x'.repeat(10_000) })));
      await writeFile(archive, whole.subarray(0, whole.length - 40));

      expect((await refused(archive)).code).toBe('PLUGIN_ARCHIVE_INVALID');
    });

    it('a missing file', async () => {
      const error = await refused(join(work, 'missing.tgz'));

      expect(error.code).toBe('PLUGIN_ARCHIVE_INVALID');
      expect(error.message).toContain('ENOENT');
    });

    it('an archive without a plugin manifest, removing what was extracted', async () => {
      const archive = await writeRawArchive(join(work, 'bare.tgz'), [
        { path: 'package/index.js', body: 'x' },
      ]);

      const error = await refused(archive);

      expect(error.code).toBe('PLUGIN_ARCHIVE_INVALID');
      expect(error.message).toContain('no plugin manifest at package/');
      expect(await writtenBesideArchives()).toEqual(['installed']);
    });

    it('an archive whose manifest is invalid, quoting the problem', async () => {
      const archive = await writeRawArchive(join(work, 'bad.tgz'), [
        { path: 'package/trellis.plugin.json', body: JSON.stringify({ name: 'billing', version: 'one' }) },
      ]);

      const error = await refused(archive);

      expect(error.code).toBe('PLUGIN_ARCHIVE_INVALID');
      expect(error.message).toContain('"version"');
      expect(TrellisError.is(error.cause, 'PLUGIN_MANIFEST_INVALID')).toBe(true);
      await expect(lstat(dest)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('an archive tar cannot extract, removing what was extracted', async () => {
      // Safe on paper, but the hard link names a file the archive does not hold.
      const archive = await writeRawArchive(
        join(work, 'dangling.tgz'),
        npmStyle({ path: 'package/h', type: 'Link', linkpath: 'package/absent.js' }),
      );

      const error = await refused(archive);

      expect(error.code).toBe('PLUGIN_ARCHIVE_INVALID');
      expect(error.message).toContain('extracting it failed');
      expect(await writtenBesideArchives()).toEqual(['installed']);
    });

    it('a destination that is not empty, leaving it untouched', async () => {
      const archive = await writeRawArchive(join(work, 'ok.tgz'), npmStyle());
      await mkdir(dest, { recursive: true });
      await writeFile(join(dest, 'old.txt'), 'keep me');

      const error = await refused(archive);

      expect(error.code).toBe('PLUGIN_ARCHIVE_INVALID');
      expect(error.message).toContain(`destination ${dest} is not empty`);
      expect(await readdir(dest)).toEqual(['old.txt']);
    });

    it('a destination that is a file', async () => {
      const archive = await writeRawArchive(join(work, 'ok.tgz'), npmStyle());
      await mkdir(join(work, 'installed'));
      await writeFile(dest, 'file');

      expect((await refused(archive)).message).toContain('is not a folder it can write to');
    });
  });

  it('rejects invalid limits with every problem listed', async () => {
    const archive = await writeRawArchive(join(work, 'ok.tgz'), npmStyle());

    const error = await refused(archive, { maxEntries: 0, maxBytes: 1.5 });

    expect(error.code).toBe('PLUGIN_ARCHIVE_OPTIONS_INVALID');
    expect(error.message).toContain('maxEntries');
    expect(error.message).toContain('maxBytes');
  });

  it('refuses a packed folder holding a FIFO before packing', async () => {
    const folder = await pluginFolder();
    execFileSync('mkfifo', [join(folder, 'pipe')]);

    const error = await packPluginFolder(folder, join(work, 'x.tgz')).catch((thrown: unknown) => thrown);

    expect(TrellisError.is(error, 'PLUGIN_ARCHIVE_UNSAFE')).toBe(true);
    expect((error as Error).message).toContain('entry "pipe"');
  });
});
