import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { writeTestPlugin } from '../deploy/store-test-plugins.js';
import { generateSigningKey, signPlugin } from '../integrity/index.js';
import { packPluginFolder } from './archive/index.js';
import { PluginStore } from './plugin-store.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const src = (name: string, version: string) => writeTestPlugin(join(root, 'src'), { name, version });

async function installed(store: PluginStore, name: string, version: string) {
  return store.hold(await store.stage(await src(name, version)), { activate: true });
}

describe('PluginStore', () => {
  it('holds versions side by side and installs from an npm-pack archive', async () => {
    const store = await PluginStore.open(join(root, 'store'));
    await installed(store, 'a', '1.0.0');
    const archive = join(root, 'a-2.0.0.tgz');
    await packPluginFolder(await src('a', '2.0.0'), archive);
    const view = await store.hold(await store.stage(archive));
    expect(view).toMatchObject({ active: '1.0.0', versions: ['1.0.0', '2.0.0'] });
    expect((await store.manifest('a', '2.0.0')).version).toBe('2.0.0');
    await expect(store.manifest('a', '9.9.9')).rejects.toMatchObject({ code: 'PLUGIN_VERSION_NOT_IN_STORE' });
    await expect(store.manifest('ghost')).rejects.toMatchObject({ code: 'PLUGIN_NOT_INSTALLED' });
    // Holding the same content again changes nothing; the staging area is left empty.
    await store.hold(await store.stage(await src('a', '1.0.0')));
    expect(await readdir(store.layout.tmp)).toEqual([]);
  });

  it('refuses a zip-slip archive at stage, leaving nothing behind', async () => {
    const store = await PluginStore.open(join(root, 'store'));
    await expect(store.stage(join(root, 'missing.tgz'))).rejects.toThrow();
    await writeFile(join(root, 'not-a.tgz'), 'plain text');
    await expect(store.stage(join(root, 'not-a.tgz'))).rejects.toMatchObject({
      code: 'PLUGIN_ARCHIVE_INVALID',
    });
    expect(await readdir(store.layout.tmp)).toEqual([]);
  });

  it('refuses a signed plugin altered after signing, at install and at load, naming the file', async () => {
    const key = generateSigningKey();
    const trust = { trustedKeys: { [key.keyId]: key.publicKey }, allowUnsigned: false };
    const store = await PluginStore.open(join(root, 'store'), { trust });
    const dir = await src('signed', '1.0.0');
    await signPlugin(dir, { privateKey: key.privateKey });
    await writeFile(join(dir, 'index.mjs'), 'export default {}; // altered\n');
    await expect(store.stage(dir)).rejects.toMatchObject({
      code: 'PLUGIN_FILE_TAMPERED',
      message: expect.stringContaining('index.mjs'),
    });

    const good = await src('good', '1.0.0');
    await signPlugin(good, { privateKey: key.privateKey });
    const view = await store.hold(await store.stage(good), { activate: true });
    await writeFile(join(view.dir as string, 'index.mjs'), 'export default {}; // altered in the store\n');
    const { inputs, refused } = await store.managedInputs();
    expect(inputs).toEqual([]);
    expect(refused[0]).toMatchObject({ plugin: 'good', error: { code: 'PLUGIN_FILE_TAMPERED' } });
    const [verified] = await store.verify();
    expect(verified?.result).toMatchObject({ code: 'PLUGIN_FILE_TAMPERED' });
    await expect(store.stage(await src('plain', '1.0.0'))).rejects.toMatchObject({ code: 'PLUGIN_UNSIGNED' });
  });

  it('configures enabled and isolation, which managed inputs apply', async () => {
    const store = await PluginStore.open(join(root, 'store'));
    await installed(store, 'a', '1.0.0');
    await installed(store, 'b', '1.0.0');
    await store.configure('a', { isolation: 'worker' });
    await store.configure('b', { enabled: false });
    const { inputs } = await store.managedInputs();
    expect(inputs.map((i) => [i.manifest.name, i.manifest.isolation])).toEqual([['a', 'worker']]);
    await store.configure('a', { isolation: null });
    expect(store.get('a')?.isolation).toBeUndefined();
    await expect(store.configure('ghost', { enabled: true })).rejects.toMatchObject({
      code: 'PLUGIN_NOT_INSTALLED',
    });
  });

  it('prunes versions other than the active and previous ones, and old backups', async () => {
    const store = await PluginStore.open(join(root, 'store'));
    await installed(store, 'a', '1.0.0');
    for (const version of ['2.0.0', '3.0.0']) await store.hold(await store.stage(await src('a', version)));
    const first = await store.backup('a', 'test');
    const second = await store.backup('a', 'test');
    await store.switchVersion({
      operation: 'upgrade',
      plugin: 'a',
      from: '1.0.0',
      to: '3.0.0',
      backup: second,
    });
    await store.settle('a');
    const pruned = await store.prune();
    expect(pruned.versions).toEqual([{ plugin: 'a', version: '2.0.0' }]);
    expect(pruned.backups).toBe(1);
    expect(await readdir(store.layout.backups('a'))).toEqual([second]);
    expect(first).not.toBe(second);
    expect(store.get('a')).toMatchObject({
      active: '3.0.0',
      previous: '1.0.0',
      versions: ['1.0.0', '3.0.0'],
    });
  });

  it('reports a corrupt record with the fields at fault', async () => {
    await mkdir(join(root, 'store'), { recursive: true });
    await writeFile(
      join(root, 'store', 'store.json'),
      '{ "format": 1, "plugins": { "a": { "versions": 3 } } }',
    );
    await expect(PluginStore.open(join(root, 'store'))).rejects.toMatchObject({
      code: 'PLUGIN_STORE_CORRUPT',
      message: expect.stringContaining('plugins.a'),
    });
    await writeFile(join(root, 'store', 'store.json'), '{ not json');
    await expect(PluginStore.open(join(root, 'store'))).rejects.toMatchObject({
      code: 'PLUGIN_STORE_CORRUPT',
    });
  });

  it('refuses to change a store another live process holds, and takes over a dead one’s lock', async () => {
    const store = await PluginStore.open(join(root, 'store'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      await writeFile(store.layout.lockFile, String(holder.pid));
      await expect(store.backup('a', 'x')).rejects.toMatchObject({ code: 'PLUGIN_STORE_LOCKED' });
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    await installed(store, 'a', '1.0.0');
    expect(store.get('a')?.active).toBe('1.0.0');
  });

  it('keeps the journal of each plugin’s offline switch until its gate runs, and undoes a cut-short one', async () => {
    const store = await PluginStore.open(join(root, 'store'));
    await installed(store, 'a', '1.0.0');
    await installed(store, 'b', '1.0.0');
    for (const name of ['a', 'b']) {
      await store.hold(await store.stage(await src(name, '2.0.0')));
      const backup = await store.backup(name, 'test');
      await store.switchVersion(
        { operation: 'upgrade', plugin: name, from: '1.0.0', to: '2.0.0', backup },
        { gatePending: name === 'a' },
      );
    }
    const reopened = await PluginStore.open(join(root, 'store'));
    expect(reopened.recovery.undone.map((j) => j.plugin)).toEqual(['b']);
    expect(reopened.get('a')).toMatchObject({ active: '2.0.0', gatePending: true });
    expect(reopened.get('b')?.active).toBe('1.0.0');
    expect(await reopened.journal('a')).toMatchObject({ from: '1.0.0', to: '2.0.0' });
    await reopened.clearGate('a');
    expect(reopened.get('a')?.gatePending).toBeUndefined();
    expect(await reopened.journal('a')).toBeUndefined();
    expect(JSON.parse(await readFile(reopened.layout.stateFile, 'utf8')).plugins.a.active).toBe('2.0.0');
  });
});
