import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { buildNodePermissionFlags, parsePermission } from './node-permission-flags.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'trellis-flags-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const realPlugin = join(root, 'store', 'plugin');
const linkedPlugin = join(root, 'plugins', 'plugin');
const dep = join(root, 'store', 'dep');
const runtimeDir = join(root, 'runtime', 'child');
mkdirSync(join(realPlugin, 'node_modules'), { recursive: true });
mkdirSync(dep, { recursive: true });
mkdirSync(runtimeDir, { recursive: true });
mkdirSync(join(root, 'plugins'));
writeFileSync(
  join(realPlugin, 'package.json'),
  JSON.stringify({ name: 'plugin', dependencies: { dep: '1' } }),
);
writeFileSync(join(dep, 'package.json'), JSON.stringify({ name: 'dep' }));
symlinkSync(dep, join(realPlugin, 'node_modules', 'dep'), 'dir');
symlinkSync(realPlugin, linkedPlugin, 'dir');

const build = (
  granted: readonly string[],
  extra: Partial<Parameters<typeof buildNodePermissionFlags>[0]> = {},
) => buildNodePermissionFlags({ pluginDir: linkedPlugin, runtimeReadPaths: [runtimeDir], granted, ...extra });

describe('buildNodePermissionFlags', () => {
  it('with no grants: reads of the plugin (both paths), the bootstrap and the dependencies, nothing else', () => {
    const flags = build([]);
    expect(flags.readPaths).toEqual(
      [linkedPlugin, realPlugin, runtimeDir, join(realPlugin, 'node_modules', 'dep'), dep].sort(),
    );
    expect(flags.writePaths).toEqual([]);
    expect(flags.execArgv[0]).toBe('--permission');
    expect(flags.execArgv).toContain(`--allow-fs-read=${dep}`);
    expect(flags.execArgv).toContain('--disallow-code-generation-from-strings');
    expect(flags.execArgv.filter((flag) => /^--allow-(?!fs-read)/.test(flag))).toEqual([]);
    expect(flags.missingDependencies).toEqual([]);
  });

  it('adds fs grants relative to the plugin folder or absolute', () => {
    const flags = build(['fs:read:data', 'fs:write:/var/tmp/out', 'fs:write:cache/*']);
    expect(flags.readPaths).toContain(join(linkedPlugin, 'data'));
    expect(flags.writePaths).toEqual([join(linkedPlugin, 'cache'), '/var/tmp/out'].sort());
    expect(flags.execArgv).toContain('--allow-fs-write=/var/tmp/out');
  });

  it.each([['fs:read'], ['fs:read:*'], ['fs:*'], ['*']])('reads everywhere with %s', (grant) => {
    expect(build([grant]).readPaths).toEqual(['*']);
  });

  it.each([
    ['child-process:spawn', '--allow-child-process'],
    ['worker:spawn', '--allow-worker'],
    ['addon:load', '--allow-addons'],
    ['wasi:use', '--allow-wasi'],
    ['inspector:use', '--allow-inspector'],
  ])('turns %s into %s, and only that', (grant, flag) => {
    const flags = build([grant]).execArgv;
    expect(flags).toContain(flag);
    expect(flags.filter((f) => /^--allow-(?!fs-)/.test(f))).toEqual([flag]);
  });

  it('allows code generation with code:eval or the runtime option', () => {
    expect(build(['code:eval']).execArgv).not.toContain('--disallow-code-generation-from-strings');
    expect(build([], { allowCodeGeneration: true }).execArgv).not.toContain(
      '--disallow-code-generation-from-strings',
    );
  });

  it('sets the heap limit from the memory option', () => {
    expect(build([], { maxOldGenerationSizeMb: 96 }).execArgv).toContain('--max-old-space-size=96');
    expect(build([]).execArgv.some((flag) => flag.startsWith('--max-old-space-size'))).toBe(false);
  });
});

describe('parsePermission', () => {
  it('splits area, action and a qualifier that may hold colons', () => {
    expect(parsePermission('http:route')).toEqual({ area: 'http', action: 'route' });
    expect(parsePermission('fs:read:C:\\data')).toEqual({
      area: 'fs',
      action: 'read',
      qualifier: 'C:\\data',
    });
  });
});
