import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { DesiredStateInvalidError, formatDesiredStateProblem } from './desired-state-errors.js';
import { loadDesiredState, parseDesiredState } from './parse-desired-state.js';

const FILE = '/srv/app/trellis.plugins.yaml';

/** The problems of an invalid text, as `file:line:column path: message` lines. */
function problemsOf(text: string, file = 'trellis.plugins.yaml'): string[] {
  try {
    parseDesiredState(text, file);
  } catch (error) {
    if (!(error instanceof DesiredStateInvalidError)) throw error;
    return error.problems.map(formatDesiredStateProblem);
  }
  throw new Error('expected the text to be invalid');
}

describe('parseDesiredState', () => {
  it('reads every field, defaults enabled to true and resolves sources against the file folder', () => {
    const text = [
      '# trellis.plugins.yaml',
      'version: 1',
      'plugins:',
      '  hello:',
      '    source: ./plugins/hello',
      '  weather:',
      '    version: 1.2.0',
      '    enabled: false',
      '  "@acme/notes":',
      '    source: ../dist/notes-2.0.0.tgz',
      '    version: 2.0.0',
      '    isolation: process',
      '',
    ].join('\n');
    expect(parseDesiredState(text, FILE)).toEqual({
      file: FILE,
      plugins: [
        {
          name: 'hello',
          source: '/srv/app/plugins/hello',
          sourceAsWritten: './plugins/hello',
          enabled: true,
          position: { line: 4, column: 3 },
        },
        { name: 'weather', version: '1.2.0', enabled: false, position: { line: 6, column: 3 } },
        {
          name: '@acme/notes',
          source: '/srv/dist/notes-2.0.0.tgz',
          sourceAsWritten: '../dist/notes-2.0.0.tgz',
          version: '2.0.0',
          enabled: true,
          isolation: 'process',
          position: { line: 9, column: 3 },
        },
      ],
    });
  });

  it('keeps an absolute source as it is', () => {
    const desired = parseDesiredState('version: 1\nplugins:\n  a: { source: /opt/a }\n', FILE);
    expect(desired.plugins[0]?.source).toBe('/opt/a');
  });

  it('accepts an empty plugin mapping (the desired state with no plugins)', () => {
    expect(parseDesiredState('version: 1\nplugins: {}\n', FILE).plugins).toEqual([]);
  });

  it('names file, line, column and field path of a version that is not exact', () => {
    const text = [
      '# trellis.plugins.yaml',
      'version: 1',
      'plugins:',
      '  hello:',
      '    source: ./plugins/hello',
      '  weather:',
      '    version: "1.x"',
      '    enabled: false',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'trellis.plugins.yaml:7:5 plugins.weather.version: "1.x" is not a version; write an exact version such as 1.2.0',
    ]);
  });

  it('explains a version YAML read as a number', () => {
    expect(problemsOf('version: 1\nplugins:\n  a:\n    version: 1.2\n')).toEqual([
      'trellis.plugins.yaml:4:5 plugins.a.version: 1.2 is not a version (YAML read it as a number); write an exact version such as 1.2.0',
    ]);
  });

  it.each([['^1.2.0'], ['v1.2.0'], ['=1.2.0'], [' 1.2.0'], ['1.2'], ['01.2.0']])(
    'refuses %j as a version',
    (version) => {
      expect(problemsOf(`version: 1\nplugins:\n  a:\n    version: "${version}"\n`)).toEqual([
        `trellis.plugins.yaml:4:5 plugins.a.version: "${version}" is not a version; write an exact version such as 1.2.0`,
      ]);
    },
  );

  it('collects every problem of the file, in file order', () => {
    const text = [
      'version: 2',
      'plugins:',
      '  hello:',
      '    sourc: ./plugins/hello',
      '  Weather:',
      '    version: 1.0.0',
      '  notes:',
      '    source: ./notes',
      '    isolation: thread',
      '    enabled: "yes"',
      'extra: true',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'trellis.plugins.yaml:1:1 version: expected 1 (the only format version), got 2',
      'trellis.plugins.yaml:3:3 plugins.hello: give a "source" (a folder or .tgz to install from), a "version" held in the plugin store, or both',
      'trellis.plugins.yaml:4:5 plugins.hello.sourc: unknown field; use "source", "version", "enabled" or "isolation"',
      expect.stringMatching(
        /^trellis\.plugins\.yaml:5:3 plugins\.Weather: expected an npm-style name like "billing" or "@acme\/billing"/,
      ),
      'trellis.plugins.yaml:9:5 plugins.notes.isolation: expected "inline", "worker" or "process", got "thread"',
      'trellis.plugins.yaml:10:5 plugins.notes.enabled: expected true or false, got "yes"',
      'trellis.plugins.yaml:11:1 extra: unknown field; use "version" or "plugins"',
    ]);
  });

  it('points a missing top-level field at the start of the file', () => {
    expect(problemsOf('plugins: {}\n')).toEqual([
      'trellis.plugins.yaml:1:1 version: missing; add "version: 1" at the top of the file',
    ]);
    expect(problemsOf('version: 1\n')).toEqual([
      'trellis.plugins.yaml:1:1 plugins: missing; add "plugins:" with one entry per plugin (write "plugins: {}" for none)',
    ]);
  });

  it('refuses an entry that is not a mapping, and plugins that is not one', () => {
    expect(problemsOf('version: 1\nplugins:\n  hello: ./plugins/hello\n')).toEqual([
      'trellis.plugins.yaml:3:3 plugins.hello: expected a mapping with "source" and/or "version", got "./plugins/hello"',
    ]);
    expect(problemsOf('version: 1\nplugins: [a, b]\n')).toEqual([
      'trellis.plugins.yaml:2:1 plugins: expected a mapping from plugin names to settings, got a list',
    ]);
  });

  it('refuses an empty file and a top level that is not a mapping', () => {
    expect(problemsOf('')).toEqual([
      'trellis.plugins.yaml:1:1 expected a mapping with "version: 1" and "plugins", got null',
    ]);
    expect(problemsOf('- a\n')).toEqual([
      'trellis.plugins.yaml:1:1 expected a mapping with "version: 1" and "plugins", got a list',
    ]);
  });

  it('refuses an empty source', () => {
    expect(problemsOf('version: 1\nplugins:\n  a:\n    source: ""\n')).toEqual([
      'trellis.plugins.yaml:4:5 plugins.a.source: expected a path to a plugin folder or an npm-pack .tgz, relative to this file, got ""',
    ]);
  });

  it('reports YAML syntax errors with their position, and does not check fields then', () => {
    const problems = problemsOf('version: 1\nplugins:\n  a: [1, 2\n  b: {}\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^trellis\.plugins\.yaml:\d+:\d+ \S/);
    expect(problems.join('\n')).not.toContain(' plugins.');
  });

  it('reports an alias to an unknown anchor at the alias', () => {
    expect(problemsOf('version: 1\nplugins:\n  a: *nowhere\n')).toEqual([
      'trellis.plugins.yaml:3:6 Unresolved alias (the anchor must be set before the alias): nowhere',
    ]);
  });

  it('follows anchors and aliases', () => {
    const text = 'version: 1\nplugins:\n  a: &common { version: 1.0.0, enabled: false }\n  b: *common\n';
    expect(parseDesiredState(text, FILE).plugins.map((plugin) => [plugin.name, plugin.version])).toEqual([
      ['a', '1.0.0'],
      ['b', '1.0.0'],
    ]);
  });

  it('reports a plugin listed twice as a duplicate key at the second one', () => {
    expect(problemsOf('version: 1\nplugins:\n  a: { version: 1.0.0 }\n  a: { version: 2.0.0 }\n')).toEqual([
      'trellis.plugins.yaml:4:3 Map keys must be unique',
    ]);
  });

  it('ignores a byte order mark', () => {
    expect(parseDesiredState('\uFEFFversion: 1\nplugins: {}\n', FILE).plugins).toEqual([]);
  });

  it('throws PLUGIN_DESIRED_STATE_INVALID with every problem in the message', () => {
    const attempt = () => parseDesiredState('version: 3\nplugins:\n  a: {}\n', 'trellis.plugins.yaml');
    expect(attempt).toThrow(DesiredStateInvalidError);
    expect(attempt).toThrow(/2 problems/);
    try {
      attempt();
    } catch (error) {
      expect((error as DesiredStateInvalidError).code).toBe('PLUGIN_DESIRED_STATE_INVALID');
    }
  });

  it('reads back any valid desired state written as YAML', () => {
    const name = fc.stringMatching(/^(?:@[a-z][a-z0-9-]{0,5}\/)?[a-z][a-z0-9._-]{0,8}$/);
    const entry = fc
      .record(
        {
          source: fc.constantFrom('./plugins/x', '../dist/x-1.0.0.tgz', '/opt/x'),
          version: fc.constantFrom('1.0.0', '0.1.2', '2.0.0-rc.1', '10.20.30+build.5'),
          enabled: fc.boolean(),
          isolation: fc.constantFrom('inline', 'worker', 'process'),
        },
        { requiredKeys: [] },
      )
      .filter((value) => value.source !== undefined || value.version !== undefined);
    fc.assert(
      fc.property(fc.dictionary(name, entry, { maxKeys: 8 }), (plugins) => {
        const desired = parseDesiredState(stringify({ version: 1, plugins }), FILE);
        expect(desired.plugins.map((plugin) => plugin.name)).toEqual(Object.keys(plugins));
        for (const plugin of desired.plugins) {
          const written = plugins[plugin.name];
          expect(plugin.version).toBe(written?.version);
          expect(plugin.enabled).toBe(written?.enabled ?? true);
          expect(plugin.isolation).toBe(written?.isolation);
          expect(plugin.sourceAsWritten).toBe(written?.source);
          if (written?.source !== undefined) expect(plugin.source?.startsWith('/')).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never throws anything but DesiredStateInvalidError for any YAML document', () => {
    const document = fc.record(
      {
        version: fc.oneof(fc.constant(1), fc.jsonValue()),
        plugins: fc.dictionary(fc.string(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(document, (value) => {
        try {
          parseDesiredState(stringify(value), FILE);
        } catch (error) {
          return error instanceof DesiredStateInvalidError && error.problems.length > 0;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but DesiredStateInvalidError, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseDesiredState(text, FILE);
        } catch (error) {
          return error instanceof DesiredStateInvalidError && error.problems.length > 0;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('loadDesiredState', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trellis-desired-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the file and resolves sources against its folder', async () => {
    const file = join(dir, 'trellis.plugins.yaml');
    await writeFile(file, 'version: 1\nplugins:\n  hello:\n    source: ./plugins/hello\n');
    const desired = await loadDesiredState(file);
    expect(desired.plugins[0]?.source).toBe(join(dir, 'plugins', 'hello'));
  });

  it('says the file does not exist', async () => {
    const file = join(dir, 'missing.yaml');
    await expect(loadDesiredState(file)).rejects.toThrow(
      `${file} cannot read the file: no such file; create it, or pass the right path`,
    );
  });

  it('reports other read failures as they are', async () => {
    await expect(loadDesiredState(dir)).rejects.toThrow(/cannot read the file: Error: EISDIR/);
  });
});
