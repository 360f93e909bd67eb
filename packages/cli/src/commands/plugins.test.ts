import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliIO } from '../output.js';
import { run } from '../run.js';

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let root: string;
let dir: string;
const savedEnv = { ...process.env };

/** Runs `trellis <args>` with captured output. */
async function cli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
  const code = await run(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Writes `<dir>/<folder>/package.json` declaring a plugin through its `trellis` field. */
async function plugin(
  folder: string,
  name: string,
  trellis: Record<string, unknown> = {},
  version = '1.0.0',
) {
  await mkdir(join(dir, folder), { recursive: true });
  const manifest = { name, version, trellis: { platform: '^0.1.0', ...trellis } };
  await writeFile(join(dir, folder, 'package.json'), JSON.stringify(manifest));
}

beforeEach(async () => {
  delete process.env.TRELLIS_ADMIN_URL;
  delete process.env.TRELLIS_ADMIN_TOKEN;
  root = await mkdtemp(join(tmpdir(), 'trellis-cli-plugins-'));
  dir = join(root, 'plugins');
  await plugin('a', 'a', { permissions: ['cache:write'] });
  await plugin('b', 'b', { dependencies: { a: '^1.0.0' }, isolation: 'worker', activation: ['onRoute:/b'] });
  await plugin('c', 'c', { dependencies: { ghost: '^1.0.0' } });
});

afterEach(async () => {
  process.env = { ...savedEnv };
  await rm(root, { recursive: true, force: true });
});

describe('trellis plugins --help', () => {
  it('lists the commands, and list --help names the environment variables', async () => {
    const group = await cli('plugins', '--help');
    expect(group.code).toBe(EXIT_CODES.OK);
    for (const command of ['list', 'info', 'graph', 'start', 'stop', 'restart']) {
      expect(group.stdout).toMatch(new RegExp(`^  ${command} \\[options\\]`, 'm'));
    }
    const list = await cli('plugins', 'list', '--help');
    expect(list.stdout).toContain('env: TRELLIS_ADMIN_URL');
    expect(list.stdout).toContain('env: TRELLIS_ADMIN_TOKEN');
  });
});

describe('trellis plugins list', () => {
  it('prints a table of the folder, and why plugins are disabled on stderr', async () => {
    const result = await cli('plugins', 'list', '--dir', dir);
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout).toBe(
      [
        'name  version  state     isolation  wave  activation',
        'a     1.0.0    resolved  inline     0     eager',
        'b     1.0.0    resolved  worker     1     onRoute:/b',
        'c     1.0.0    disabled  inline     -     eager',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toMatch(/^c is disabled: PLUGIN_DEPENDENCY_MISSING: .*ghost/);
  });

  it('reports bad manifests on stderr and still lists the others', async () => {
    await plugin('bad', 'bad', {}, 'not-a-version');
    const result = await cli('plugins', 'list', '--dir', dir);
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout).toContain('a     1.0.0');
    expect(result.stderr).toContain(
      `PLUGIN_MANIFEST_INVALID: Invalid plugin manifest ${join(dir, 'bad', 'package.json')}`,
    );
  });

  it('prints the whole report with --json', async () => {
    const result = await cli('plugins', 'list', '--dir', dir, '--json');
    const report = JSON.parse(result.stdout);
    expect(report.waves).toEqual([['a'], ['b']]);
    expect(report.plugins.map((p: { name: string }) => p.name)).toEqual(['a', 'b', 'c']);
    expect(report.plugins[2].disabled.code).toBe('PLUGIN_DEPENDENCY_MISSING');
    expect(result.stderr).toBe('');
  });

  it('reads ./plugins by default', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      expect((await cli('plugins', 'list')).stdout).toContain('a     1.0.0');
    } finally {
      process.chdir(cwd);
    }
  });

  it('prints "(none)" for an empty folder', async () => {
    await mkdir(join(root, 'empty'));
    expect(await cli('plugins', 'list', '--dir', join(root, 'empty'))).toEqual({
      code: EXIT_CODES.OK,
      stdout: '(none)\n',
      stderr: '',
    });
  });

  it('exits 3 with the fix when the folder does not exist', async () => {
    const result = await cli('plugins', 'list', '--dir', join(root, 'nope'));
    expect(result.code).toBe(EXIT_CODES.UNAVAILABLE);
    expect(result.stderr).toMatch(
      /^PLUGIN_SCAN_FAILED: The plugins folder .*nope does not exist.* Fix: .*--dir/,
    );
    const json = await cli('plugins', 'list', '--dir', join(root, 'nope'), '--json');
    expect(json.code).toBe(EXIT_CODES.UNAVAILABLE);
    expect(JSON.parse(json.stdout).error.code).toBe('PLUGIN_SCAN_FAILED');
  });

  it('reads the folder when --dir is given, even with TRELLIS_ADMIN_URL set', async () => {
    process.env.TRELLIS_ADMIN_URL = 'http://127.0.0.1:9';
    expect((await cli('plugins', 'list', '--dir', dir)).code).toBe(EXIT_CODES.OK);
  });

  it('refuses --dir together with --url', async () => {
    const result = await cli('plugins', 'list', '--dir', dir, '--url', 'http://127.0.0.1:9');
    expect(result.code).toBe(EXIT_CODES.USAGE);
    expect(result.stderr).toContain('not both');
  });
});

describe('trellis plugins info', () => {
  it('prints the fields, then dependencies, dependents and permissions as lists', async () => {
    const result = await cli('plugins', 'info', 'a', '--dir', dir);
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout).toBe(
      [
        'name:       a',
        'version:    1.0.0',
        'state:      resolved',
        'isolation:  inline',
        'activation: eager',
        'wave:       0',
        `dir:        ${join(dir, 'a')}`,
        'main:       index.js',
        '',
        'dependencies:',
        '  (none)',
        '',
        'optionalDependencies:',
        '  (none)',
        '',
        'dependents:',
        '  b',
        '',
        'permissions:',
        '  cache:write',
        '',
      ].join('\n'),
    );
  });

  it('shows ranges and why a plugin is disabled', async () => {
    const result = await cli('plugins', 'info', 'c', '--dir', dir);
    expect(result.stdout).toMatch(/^disabled: {3}PLUGIN_DEPENDENCY_MISSING: .*ghost/m);
    expect(result.stdout).toContain('dependencies:\n  ghost ^1.0.0\n');
  });

  it('prints the view with --json', async () => {
    const result = await cli('--json', 'plugins', 'info', 'b', '--dir', dir);
    expect(JSON.parse(result.stdout)).toMatchObject({
      name: 'b',
      wave: 1,
      dependencies: [{ name: 'a', range: '^1.0.0' }],
    });
  });

  it('exits 1 with PLUGIN_NOT_FOUND, the known names and the fix for an unknown name', async () => {
    const result = await cli('plugins', 'info', 'zed', '--dir', dir);
    expect(result.code).toBe(EXIT_CODES.FAILURE);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'PLUGIN_NOT_FOUND: No plugin named "zed". Known plugins: a, b, c. Fix: Check the name (scoped names include the scope, e.g. "@acme/billing"); `trellis plugins list` shows every plugin.\n',
    );
  });

  it('exits 2 without a name', async () => {
    expect((await cli('plugins', 'info', '--dir', dir)).code).toBe(EXIT_CODES.USAGE);
  });
});

describe('trellis plugins graph', () => {
  it('draws a tree by default', async () => {
    const result = await cli('plugins', 'graph', '--dir', dir);
    expect(result).toEqual({
      code: EXIT_CODES.OK,
      stdout: 'a@1.0.0\n└── b@1.0.0\nc@1.0.0 [disabled: PLUGIN_DEPENDENCY_MISSING]\n',
      stderr: '',
    });
  });

  it.each([
    ['dot', /^digraph plugins \{\n[\s\S]*"b" -> "a" \[label="\^1\.0\.0"\];\n[\s\S]*\}\n$/],
    ['mermaid', /^graph TD\n[\s\S]*n1 -->\|"\^1\.0\.0"\| n0\n/],
  ])('draws --format %s', async (format, expected) => {
    const result = await cli('plugins', 'graph', '--dir', dir, '--format', format);
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout).toMatch(expected);
  });

  it('prints the format and the drawing with --json', async () => {
    const result = await cli('plugins', 'graph', '--dir', dir, '--format', 'dot', '--json');
    expect(JSON.parse(result.stdout)).toEqual({
      format: 'dot',
      graph: expect.stringMatching(/^digraph plugins/),
    });
  });

  it('reports bad manifests on stderr', async () => {
    await plugin('bad', 'bad', {}, 'not-a-version');
    expect((await cli('plugins', 'graph', '--dir', dir)).stderr).toContain('PLUGIN_MANIFEST_INVALID');
  });

  it('exits 2 for an unknown format', async () => {
    const result = await cli('plugins', 'graph', '--dir', dir, '--format', 'svg');
    expect(result.code).toBe(EXIT_CODES.USAGE);
    expect(result.stderr).toContain('tree, dot, mermaid');
  });
});

describe('trellis plugins start|stop|restart without --url', () => {
  it.each(['start', 'stop', 'restart'])(
    '%s is a usage error explaining that it needs a running app',
    async (verb) => {
      const result = await cli('plugins', verb, 'a');
      expect(result.code).toBe(EXIT_CODES.USAGE);
      expect(result.stderr).toContain(
        `"trellis plugins ${verb}" acts on a running app: pass --url <admin url>`,
      );
      expect(result.stderr).toContain('TRELLIS_ADMIN_URL');
    },
  );
});
