// The built `trellis config` CLI against the reference app's built schema module and its real
// config folder: what an operator runs (see apps/reference/README.md).
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const bin = resolve(__dirname, '../../../packages/cli/dist/bin.js');
const schemaModule = resolve(__dirname, '../dist/config/cli-schema.js');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-config-cli-'));
  await cp(resolve(__dirname, '../config'), join(dir, 'config'), { recursive: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function trellis(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [bin, 'config', '--schema', schemaModule, '--dir', join(dir, 'config'), ...args],
      { env: { ...process.env, NODE_OPTIONS: '' } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('trellis config (built) on the reference app', () => {
  it('validates the shipped configuration, including the plugin slices', async () => {
    const result = await trellis('validate', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true });
  });

  it('explains where a setting comes from', async () => {
    const result = await trellis('explain', 'plugins.hello.greeting', '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({
      value: '"Hello"',
      layer: 'file',
      origin: expect.stringMatching(/config\/default\.yaml:\d+:\d+$/),
    });
  });

  it('exits 1 and lists every problem with its origin when an edit is invalid', async () => {
    const file = join(dir, 'config', 'default.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(
      file,
      original.replace('port: 3000', 'port: 99999').replace('greeting: Hello', 'greting: Hello'),
    );
    try {
      const result = await trellis('validate', '--json');
      expect(result.code).toBe(1);
      const output = JSON.parse(result.stdout) as {
        valid: boolean;
        problems: { path: string; origin: string }[];
      };
      expect(output.valid).toBe(false);
      expect(output.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['http.port']));
      expect(output.problems.find((p) => p.path === 'http.port')?.origin).toMatch(/default\.yaml:\d+:\d+/);
    } finally {
      await writeFile(file, original);
    }
  });

  it('exits 3 when the schema module cannot be found', async () => {
    const { code } = await run(process.execPath, [bin, 'config', '--schema', '/nope.js', 'validate'], {
      env: { ...process.env, NODE_OPTIONS: '' },
    }).then(
      () => ({ code: 0 }),
      (error: { code: number }) => ({ code: error.code }),
    );
    expect(code).toBe(3);
  });
});
