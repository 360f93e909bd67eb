// A process killed (SIGKILL) at any durable step of an upgrade — or of the automatic rollback
// after a failed health gate — must leave the store, at its next open, on the old version with
// the old data or on the new version with the new data: never a mix. The upgrade runs in a child
// process on the built package (dist/), which kills itself at the chosen step.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeTestPlugin } from '../deploy/store-test-plugins.js';
import type { StoreStep } from './plugin-store.js';
import { PluginStore } from './plugin-store.js';

const dist = pathToFileURL(resolve(__dirname, '../../dist/index.js')).href;
const core = pathToFileURL(resolve(__dirname, '../../../core/dist/index.js')).href;

// argv (after node; -e scripts have no script path): storeRoot, source of 2.0.0, step to die at, its occurrence (1-based).
const upgradeScript = `
import { createPlatform } from ${JSON.stringify(core)};
import { PluginDeployer, PluginManager, PluginStore } from ${JSON.stringify(dist)};
const [root, source, dieAt, nth] = process.argv.slice(1);
let seen = 0;
const store = await PluginStore.open(root, {
  onStep(step) {
    if (step === dieAt && ++seen === Number(nth)) process.kill(process.pid, 'SIGKILL');
  },
});
const platform = createPlatform({ logLevel: 'silent' });
const manager = new PluginManager({
  container: platform.container,
  plugins: (await store.managedInputs()).inputs,
  dataDir: (name) => store.layout.data(name),
});
await manager.boot();
const deployer = new PluginDeployer({ store, manager, gate: { timeoutMs: 300, intervalMs: 20 } });
const boot = (await store.managedInputs()).refused.map((r) => r.error.message).join('; ');
if (boot) process.stderr.write('refused: ' + boot + '\\n');
// A failed gate is expected with the failing source; anything else is reported.
await deployer.upgrade('notes', { source }).catch((e) => {
  if (e.code !== 'PLUGIN_HEALTH_GATE_FAILED') process.stderr.write(String(e) + '\\n');
});
await manager.shutdown();
process.stdout.write('finished\\n');
`;

let work: string;
let goodSource: string;
let failingSource: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trellis-store-kill-'));
  goodSource = await writeTestPlugin(join(work, 'src-good'), {
    name: 'notes',
    version: '2.0.0',
    writesFormat: 'v2',
  });
  failingSource = await writeTestPlugin(join(work, 'src-bad'), {
    name: 'notes',
    version: '2.0.0',
    writesFormat: 'v2',
    health: 'fail',
  });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function freshStore(name: string): Promise<string> {
  const root = join(work, name);
  const store = await PluginStore.open(root);
  const v1 = await writeTestPlugin(join(work, `${name}-v1`), {
    name: 'notes',
    version: '1.0.0',
    writesFormat: 'v1',
  });
  await store.hold(await store.stage(v1), { activate: true });
  await store.writeConfig('notes', { version: 1, owner: 'v1' });
  return root;
}

function runUpgrade(root: string, source: string, step: StoreStep, nth: number) {
  return new Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', upgradeScript, root, source, step, String(nth)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (_code, signal) => done({ signal, stdout, stderr }));
  });
}

/** The store holds one whole state: v1 with v1's data and config, or v2 with what v2 wrote. */
async function expectConsistent(root: string) {
  const store = await PluginStore.open(root);
  const view = store.require('notes');
  const format = await readFile(join(store.layout.data('notes'), 'format.txt'), 'utf8').catch(() => 'none');
  expect(await readdir(store.layout.journals).catch(() => [])).toEqual([]);
  expect(await readdir(store.layout.tmp).catch(() => [])).toEqual([]);
  expect(await readFile(join(view.dir, 'trellis.plugin.json'), 'utf8')).toContain(
    `"version":"${view.active}"`,
  );
  // Every version folder on disk is one the record holds (a half-installed one is removed).
  expect((await readdir(store.layout.versions('notes'))).sort()).toEqual([...view.versions].sort());
  if (view.active === '1.0.0') {
    expect(format).toBe('v1');
    expect(await store.readConfig('notes')).toEqual({ version: 1, owner: 'v1' });
  } else {
    expect(view.active).toBe('2.0.0');
    expect(format).toBe('v2');
  }
  return view.active;
}

describe('plugin store after kill -9 mid-upgrade', () => {
  const upgradeSteps: StoreStep[] = [
    'hold:moved',
    'hold:recorded',
    'backup:copied',
    'backup:done',
    'switch:journalled',
    'switch:recorded',
    'settled',
  ];
  it.each(upgradeSteps)('is whole after a kill at %s of a passing upgrade', async (step) => {
    const root = await freshStore(`pass-${step}`);
    const run = await runUpgrade(root, goodSource, step, 1);
    expect(run.signal).toBe('SIGKILL');
    const active = await expectConsistent(root);
    // Only a kill after the gate passed and the journal was cleared keeps the new version.
    expect(active).toBe(step === 'settled' ? '2.0.0' : '1.0.0');
  });

  // The failing version's gate triggers a rollback; a kill inside it must not strand the store.
  const rollbackSteps: [StoreStep, number][] = [
    ['restore:aside', 1],
    ['restore:done', 1],
    ['undo:recorded', 1],
  ];
  it.each(rollbackSteps)('is whole after a kill at %s of the automatic rollback', async (step, nth) => {
    const root = await freshStore(`fail-${step}`);
    const run = await runUpgrade(root, failingSource, step, nth);
    expect(run.signal).toBe('SIGKILL');
    expect(await expectConsistent(root)).toBe('1.0.0');
  });

  it('finishes without a kill (the script itself works)', async () => {
    const root = await freshStore('no-kill');
    const run = await runUpgrade(root, goodSource, 'hold:moved', 99);
    expect({ stdout: run.stdout, stderr: run.stderr }).toEqual({ stdout: 'finished\n', stderr: '' });
    expect(await expectConsistent(root)).toBe('2.0.0');
  });
});
