// A project outside this repository installs @trellis/core and imports it: the built package's
// `exports` map, ESM output and declaration files must work without the workspace's tooling.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const corePackage = resolve(__dirname, '../../../packages/core');
const tsc = resolve(__dirname, '../node_modules/.bin/tsc');
let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'trellis-consumer-'));
  await mkdir(join(project, 'node_modules', '@trellis'), { recursive: true });
  // A link stands in for `npm install`: Node resolves the package's own dependencies from its real path.
  await symlink(corePackage, join(project, 'node_modules', '@trellis', 'core'), 'dir');
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', type: 'module', private: true }),
  );
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const program = `
import { createPlatform, createToken, defineModule, TrellisError } from '@trellis/core';

const GREETING = createToken('@consumer/app.Greeting');
const platform = createPlatform({
  logLevel: 'silent',
  modules: [defineModule({ name: 'greeting', provides: [GREETING], register: (c) => c.register(GREETING, { useValue: 'hi' }) })],
});
await platform.start();
const value = platform.resolve(GREETING);
let code = '';
try { platform.resolve(createToken('@consumer/app.Missing')); } catch (e) { code = e instanceof TrellisError ? e.code : 'other'; }
await platform.stop();
console.log(JSON.stringify({ value, code, state: platform.state }));
`;

describe('@trellis/core used from outside the repository', () => {
  it('imports from the built ESM entry and runs a platform', async () => {
    await writeFile(join(project, 'main.mjs'), program);
    const output = execFileSync(process.execPath, ['main.mjs'], {
      cwd: project,
      env: { ...process.env, NODE_OPTIONS: '' },
    }).toString();
    expect(JSON.parse(output)).toEqual({ value: 'hi', code: 'SERVICE_NOT_REGISTERED', state: 'stopped' });
  });

  it('type-checks against the shipped declaration files', async () => {
    await writeFile(
      join(project, 'main.ts'),
      `import { createToken, type Token, type Platform } from '@trellis/core';
       export const TOKEN: Token<number> = createToken<number>('@consumer/app.Count');
       export function count(platform: Platform): number { return platform.resolve(TOKEN) + 1; }
       // @ts-expect-error resolve() returns number for this token, not string
       export const wrong: string = ({} as Platform).resolve(TOKEN);\n`,
    );
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['main.ts'],
      }),
    );
    expect(() => execFileSync(tsc, ['-p', project], { cwd: project, stdio: 'pipe' })).not.toThrow();
  });
});
