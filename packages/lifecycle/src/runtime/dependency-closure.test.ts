import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { DependencyClosure } from './dependency-closure.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'trellis-closure-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pkg(dir: string, manifest: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
}

function link(target: string, at: string): void {
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at, 'dir');
}

// A pnpm-style tree: packages live in node_modules/.pnpm/<name>@<version>/node_modules/<name>,
// reached through symlinks; their own dependencies are symlinked beside them.
const store = join(root, 'node_modules', '.pnpm');
const depA = join(store, 'dep-a@1.0.0', 'node_modules', 'dep-a');
const depB = join(store, 'dep-b@1.0.0', 'node_modules', 'dep-b');
const peer = join(root, 'node_modules', '@scope', 'peer');
const plugin = join(root, 'plugins', 'p');
pkg(depA, { name: 'dep-a', dependencies: { 'dep-b': '1' } });
pkg(depB, { name: 'dep-b', dependencies: { 'dep-a': '1' } }); // a cycle
link(depB, join(store, 'dep-a@1.0.0', 'node_modules', 'dep-b'));
link(depA, join(store, 'dep-b@1.0.0', 'node_modules', 'dep-a'));
link(depA, join(root, 'node_modules', 'dep-a'));
pkg(peer, { name: '@scope/peer' });
pkg(plugin, {
  name: 'p',
  dependencies: { 'dep-a': '1' },
  optionalDependencies: { 'not-installed': '1' },
  peerDependencies: { '@scope/peer': '1' },
});

describe('DependencyClosure', () => {
  it('finds every runtime dependency as Node would, through symlinks and cycles', () => {
    const result = new DependencyClosure().of(plugin);
    expect(result.packages).toEqual(
      expect.arrayContaining([
        { name: 'dep-a', foundAt: join(root, 'node_modules', 'dep-a'), realPath: depA },
        { name: '@scope/peer', foundAt: peer, realPath: peer },
        // dep-b is found beside dep-a's real folder, not from the plugin.
        { name: 'dep-b', foundAt: join(store, 'dep-a@1.0.0', 'node_modules', 'dep-b'), realPath: depB },
        { name: 'dep-a', foundAt: join(store, 'dep-b@1.0.0', 'node_modules', 'dep-a'), realPath: depA },
      ]),
    );
    expect(result.packages).toHaveLength(4);
    expect(result.missing).toEqual([`not-installed (wanted by ${plugin})`]);
  });

  it('caches closures per package', () => {
    const closure = new DependencyClosure();
    expect(closure.of(plugin)).toBe(closure.of(`${plugin}/`));
  });

  it('gives an empty closure to a folder without a package.json', () => {
    const bare = join(root, 'bare');
    mkdirSync(bare);
    expect(new DependencyClosure().of(bare)).toEqual({ packages: [], missing: [] });
  });
});
