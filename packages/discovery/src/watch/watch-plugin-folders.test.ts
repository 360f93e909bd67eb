// Real file-system events: these tests wait for the watcher (bounded at 2 s), they do not
// measure speed.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type Disposer, ManualClock } from '@trellis/core';
import { watchPluginFolders } from './watch-plugin-folders.js';

let root: string;
let watching: Disposer | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-watch-plugins-'));
});

afterEach(async () => {
  watching?.dispose();
  watching = undefined;
  await rm(root, { recursive: true, force: true });
});

async function folders(...names: string[]): Promise<{ name: string; dir: string }[]> {
  const result = [];
  for (const name of names) {
    const dir = join(root, name);
    await mkdir(join(dir, 'src'), { recursive: true });
    await writeFile(join(dir, 'src', 'index.js'), '// v1\n');
    result.push({ name, dir });
  }
  return result;
}

function nextChange(withinMs = 2_000): { promise: Promise<string[]>; listener: (names: string[]) => void } {
  let listener!: (names: string[]) => void;
  const promise = new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no change reported within ${withinMs} ms`)), withinMs);
    listener = (names) => {
      clearTimeout(timer);
      resolve(names);
    };
  });
  return { promise, listener };
}

describe('watchPluginFolders', () => {
  it('reports a burst of file changes as one call naming the changed plugins', async () => {
    const plugins = await folders('alpha', 'beta', 'gamma');
    const change = nextChange();
    const onChange = jest.fn(change.listener);
    watching = watchPluginFolders(plugins, onChange, { debounceMs: 100 });
    await writeFile(join(root, 'gamma', 'src', 'index.js'), '// v2\n');
    await writeFile(join(root, 'alpha', 'src', 'index.js'), '// v2\n');
    await writeFile(join(root, 'gamma', 'src', 'extra.js'), '// new\n');
    expect(await change.promise).toEqual(['alpha', 'gamma']);
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('ignores changes below node_modules and to dotfiles', async () => {
    const plugins = await folders('alpha', 'beta');
    await mkdir(join(root, 'alpha', 'node_modules', 'dep'), { recursive: true });
    const change = nextChange();
    watching = watchPluginFolders(plugins, change.listener, { debounceMs: 100 });
    await writeFile(join(root, 'alpha', 'node_modules', 'dep', 'index.js'), '// dep\n');
    await writeFile(join(root, 'alpha', '.index.js.swp'), 'swap');
    await mkdir(join(root, 'alpha', '.cache'));
    await writeFile(join(root, 'alpha', '.cache', 'data'), 'cached');
    await writeFile(join(root, 'beta', 'src', 'index.js'), '// v2\n');
    // alpha's events reach the watcher before beta's debounce runs out; counted, they would show.
    expect(await change.promise).toEqual(['beta']);
  });

  it('counts the deletion of a watched folder as a change of its plugin', async () => {
    const plugins = await folders('alpha');
    const change = nextChange();
    watching = watchPluginFolders(plugins, change.listener, { debounceMs: 50 });
    await rm(join(root, 'alpha'), { recursive: true });
    expect(await change.promise).toEqual(['alpha']);
  });

  it('reports a folder that cannot be watched and watches the others', async () => {
    const plugins = await folders('alpha');
    const onError = jest.fn();
    const change = nextChange();
    await writeFile(join(root, 'file'), 'not a folder');
    const missing = { name: 'ghost', dir: join(root, 'ghost') };
    const file = { name: 'file', dir: join(root, 'file') };
    watching = watchPluginFolders([missing, file, ...plugins], change.listener, { debounceMs: 50, onError });
    expect(onError).toHaveBeenCalledWith('ghost', expect.objectContaining({ code: 'ENOENT' }));
    expect(onError).toHaveBeenCalledWith(
      'file',
      expect.objectContaining({ message: expect.stringContaining('not a folder') }),
    );
    await writeFile(join(root, 'alpha', 'src', 'index.js'), '// v2\n');
    expect(await change.promise).toEqual(['alpha']);
  });

  it('does not report changes after it is disposed', async () => {
    const clock = new ManualClock();
    const plugins = await folders('alpha');
    const change = nextChange(300);
    const onChange = jest.fn(change.listener);
    watching = watchPluginFolders(plugins, onChange, { debounceMs: 10, clock });
    watching.dispose();
    await writeFile(join(root, 'alpha', 'src', 'index.js'), '// v2\n');
    clock.advance(1_000);
    await expect(change.promise).rejects.toThrow(/no change reported/);
    expect(onChange).not.toHaveBeenCalled();
  });
});
