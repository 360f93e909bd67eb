// A process killed (SIGKILL) in the middle of writeFileAtomic must leave the target holding the
// old or the new content, never a torn or empty file. The writer runs in a child process, which
// imports write-file-atomic.ts directly: Node strips its types, so no build is needed.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

const ROUNDS = 20;
const MAX_KILL_DELAY_MS = 30;
const SIZE_A = 2 * 1024 * 1024;
const SIZE_B = 3 * 1024 * 1024;
const CONTENT_A = `${'a'.repeat(SIZE_A)}\nEND-A\n`;
const CONTENT_B = `${'b'.repeat(SIZE_B)}\nEND-B\n`;
const TARGET = 'target.txt';
const TEMP_FILE = /^\.target\.txt\.\d+\.[0-9a-f]{12}\.tmp$/;

const rawModuleUrl = pathToFileURL(resolve(__dirname, 'write-file-atomic.ts')).href;

// Writes A, B, A, B... to the file named by argv[2] until killed; says "ready" after the first
// write. Exits on its own after 20 s so a failed test cannot leave it running.
const writerScript = `
import { atomicWriteFile } from ${JSON.stringify(rawModuleUrl)};
setTimeout(() => process.exit(2), 20_000);
const file = process.argv[2];
const contents = [
  'a'.repeat(${SIZE_A}) + ${JSON.stringify('\nEND-A\n')},
  'b'.repeat(${SIZE_B}) + ${JSON.stringify('\nEND-B\n')},
];
for (let i = 0; ; i++) {
  await atomicWriteFile(file, contents[i % 2]);
  if (i === 0) process.stdout.write('ready\\n');
}
`;

let dir: string;
let live: ChildProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-atomic-kill-'));
});

afterEach(async () => {
  live?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** Starts the writer and resolves once its first write is complete. */
function startWriter(script: string, file: string): Promise<ChildProcess> {
  const { NODE_OPTIONS: _jestNodeOptions, ...env } = process.env;
  const child = spawn(process.execPath, [script, file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live = child;
  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) resolvePromise(child);
    });
    child.on('exit', (code, signal) =>
      reject(new Error(`writer exited before "ready" (code ${code}, signal ${signal}):\n${stderr}`)),
    );
  });
}

function killAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    child.on('exit', () => resolvePromise());
    child.kill('SIGKILL');
  });
}

function describeContent(content: string): string {
  if (content === CONTENT_A) return 'A';
  if (content === CONTENT_B) return 'B';
  return `torn (${content.length} chars, ends ${JSON.stringify(content.slice(-8))})`;
}

describe('writeFileAtomic under SIGKILL', () => {
  it(`leaves the old or the new file, never a torn one, across ${ROUNDS} kills at random moments`, async () => {
    const script = join(dir, 'writer.mjs');
    await writeFile(script, writerScript);
    const target = join(dir, 'data', TARGET);
    const failures: string[] = [];

    for (let round = 1; round <= ROUNDS; round++) {
      const child = await startWriter(script, target);
      const delay = Math.floor(Math.random() * (MAX_KILL_DELAY_MS + 1));
      // A real wait on purpose: the point is to kill the child at an unpredictable moment of I/O.
      await new Promise((wake) => setTimeout(wake, delay));
      await killAndWait(child);
      live = undefined;

      const outcome = describeContent(await readFile(target, 'utf8'));
      if (outcome !== 'A' && outcome !== 'B')
        failures.push(`round ${round}, killed after ${delay} ms: ${outcome}`);
      const strays = (await readdir(join(dir, 'data'))).filter((name) => name !== TARGET);
      const unknown = strays.filter((name) => !TEMP_FILE.test(name));
      if (unknown.length > 0) failures.push(`round ${round}: unexpected files ${unknown.join(', ')}`);
      // A SIGKILL between creating and renaming the temp file strands it; that is allowed.
      await Promise.all(strays.map((name) => rm(join(dir, 'data', name), { force: true })));
    }

    expect(failures).toEqual([]);
    // 20 child processes: seconds on an idle machine, but CI runs many suites side by side.
  }, 120_000);
});
