// `trellis plugins install | upgrade | downgrade | rollback | uninstall | plan | apply | verify |
// sign | keygen | prune` on a store folder (offline), and routed to an app that serves the store.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { PluginStore } from '@trellis/lifecycle';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliIO } from '../output.js';
import { run } from '../run.js';

let root: string;
let store: string;
const savedEnv = { ...process.env };

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
  const code = await run(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** A plugin folder `<root>/src/<name>-<version>` that needs nothing from node_modules. */
async function source(name: string, version: string, dependencies: Record<string, string> = {}) {
  const dir = join(root, 'src', `${name}-${version}`);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'trellis.plugin.json'),
    JSON.stringify({ name, version, platform: '^0.1.0', main: 'index.mjs', dependencies }),
  );
  await writeFile(join(dir, 'index.mjs'), `export default { [Symbol.for('@trellis/core.Plugin')]: true };\n`);
  return dir;
}

beforeEach(async () => {
  delete process.env.TRELLIS_ADMIN_URL;
  delete process.env.TRELLIS_PLUGIN_STORE;
  delete process.env.TRELLIS_PLUGIN_TRUST;
  root = await mkdtemp(join(tmpdir(), 'trellis-cli-store-'));
  store = join(root, 'store');
});
afterEach(async () => {
  process.env = { ...savedEnv };
  await rm(root, { recursive: true, force: true });
});

describe('trellis plugins store commands, offline', () => {
  it('installs, upgrades with the gate left to the next start, downgrades, and refuses a wrong direction', async () => {
    const install = await cli('plugins', 'install', await source('a', '1.0.0'), '--store', store, '--json');
    expect(install.code).toBe(EXIT_CODES.OK);
    expect(JSON.parse(install.stdout)).toMatchObject({
      operation: 'install',
      plugin: 'a',
      to: '1.0.0',
      gate: 'none',
    });

    const upgrade = await cli('plugins', 'upgrade', 'a', await source('a', '1.1.0'), '--store', store);
    expect(upgrade.code).toBe(EXIT_CODES.OK);
    expect(upgrade.stdout).toContain('the health gate runs when the app next starts');
    expect((await PluginStore.open(store)).get('a')).toMatchObject({ active: '1.1.0', gatePending: true });

    const wrong = await cli('plugins', 'upgrade', 'a', '--to', '1.0.0', '--store', store);
    expect(wrong.code).toBe(EXIT_CODES.FAILURE);
    expect(wrong.stderr).toContain('use downgrade');

    const down = await cli('plugins', 'downgrade', 'a', '--to', '1.0.0', '--store', store, '--json');
    expect(JSON.parse(down.stdout)).toMatchObject({ from: '1.1.0', to: '1.0.0' });

    const missing = await cli('plugins', 'upgrade', 'a', '--store', store);
    expect(missing.code).toBe(EXIT_CODES.USAGE);
  });

  it('rolls back, uninstalls and prunes', async () => {
    await cli('plugins', 'install', await source('a', '1.0.0'), '--store', store);
    await cli('plugins', 'upgrade', 'a', await source('a', '2.0.0'), '--store', store);
    const rollback = await cli('plugins', 'rollback', 'a', '--store', store, '--json');
    expect(JSON.parse(rollback.stdout)).toMatchObject({ operation: 'rollback', from: '2.0.0', to: '1.0.0' });
    const uninstall = await cli('plugins', 'uninstall', 'a', '--store', store);
    expect(uninstall.code).toBe(EXIT_CODES.OK);
    const prune = await cli('plugins', 'prune', '--store', store, '--json');
    expect(JSON.parse(prune.stdout)).toMatchObject({ trash: 1 });
    expect(await readdir(store)).not.toContain('trash');
  });

  it('plans a desired state, applies it, then plans no changes', async () => {
    await source('db', '1.0.0');
    await source('api', '1.0.0', { db: '^1.0.0' });
    const file = join(root, 'trellis.plugins.yaml');
    await writeFile(
      file,
      'version: 1\nplugins:\n  api:\n    source: ./src/api-1.0.0\n  db:\n    source: ./src/db-1.0.0\n',
    );
    const plan = await cli('plugins', 'plan', '--file', file, '--store', store);
    expect(plan.code).toBe(EXIT_CODES.OK);
    expect(plan.stdout).toContain('+ install db 1.0.0');
    expect(plan.stdout).toContain('Plan: 2 to install');
    const apply = await cli('plugins', 'apply', '--file', file, '--store', store);
    expect(apply.code).toBe(EXIT_CODES.OK);
    expect(apply.stdout).toContain('done: install db');
    const again = await cli('plugins', 'plan', '--file', file, '--store', store, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ actions: [] });
    const noop = await cli('plugins', 'apply', '--file', file, '--store', store, '--json');
    expect(JSON.parse(noop.stdout)).toMatchObject({ applied: 0 });
  });

  it('reports a plan with problems and refuses to apply it', async () => {
    const file = join(root, 'trellis.plugins.yaml');
    await writeFile(file, 'version: 1\nplugins:\n  ghost:\n    version: 9.9.9\n');
    const plan = await cli('plugins', 'plan', '--file', file, '--store', store);
    expect(plan.code).toBe(EXIT_CODES.FAILURE);
    const apply = await cli('plugins', 'apply', '--file', file, '--store', store);
    expect(apply.code).toBe(EXIT_CODES.FAILURE);
    expect(apply.stderr).toContain('PLUGIN_PLAN_HAS_PROBLEMS');
  });

  it('makes a key pair, signs a plugin, installs it under a trust policy, and verify names a tampered file', async () => {
    const keys = await cli('plugins', 'keygen', '--out', root, '--json');
    const { keyId, privateKey, publicKey } = JSON.parse(keys.stdout) as {
      keyId: string;
      privateKey: string;
      publicKey: string;
    };
    expect((await stat(privateKey)).mode & 0o777).toBe(0o600);
    const dir = await source('signed', '1.0.0');
    const sign = await cli('plugins', 'sign', dir, '--key', privateKey);
    expect(sign.code).toBe(EXIT_CODES.OK);
    expect(sign.stdout).toContain('signed signed 1.0.0');
    const trust = join(root, 'trust.json');
    await writeFile(trust, JSON.stringify({ trustedKeys: { [keyId]: await readFile(publicKey, 'utf8') } }));
    expect((await cli('plugins', 'install', dir, '--store', store, '--trust', trust)).code).toBe(
      EXIT_CODES.OK,
    );
    const unsigned = await cli(
      'plugins',
      'install',
      await source('plain', '1.0.0'),
      '--store',
      store,
      '--trust',
      trust,
    );
    expect(unsigned.stderr).toContain('PLUGIN_UNSIGNED');

    expect((await cli('plugins', 'verify', '--store', store, '--trust', trust)).code).toBe(EXIT_CODES.OK);
    const installed = (await PluginStore.open(store)).require('signed').dir;
    await writeFile(join(installed, 'index.mjs'), 'export default {}; // changed\n');
    const verify = await cli('plugins', 'verify', 'signed', '--store', store, '--trust', trust, '--json');
    expect(verify.code).toBe(EXIT_CODES.FAILURE);
    expect(verify.stdout).toContain('PLUGIN_FILE_TAMPERED');
    expect(verify.stdout).toContain('index.mjs');
  });
});

describe('trellis plugins store commands, with an app serving the store', () => {
  let server: Server;
  const requests: { method: string; url: string; body: string }[] = [];
  beforeEach(async () => {
    requests.length = 0;
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        requests.push({ method: request.method ?? '', url: request.url ?? '', body });
        response.setHeader('content-type', 'application/json');
        if (request.url?.startsWith('/admin/deployments/')) {
          response.end(
            JSON.stringify({
              format: 1,
              actions: [],
              unchanged: ['a'],
              problems: [],
              text: 'No changes.\n',
              plan: { text: 'No changes.\n' },
              applied: 0,
            }),
          );
        } else
          response.end(
            JSON.stringify({ operation: 'upgrade', plugin: 'a', from: '1.0.0', to: '1.1.0', gate: 'passed' }),
          );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends operations to the app recorded in the store, and to --url', async () => {
    const opened = await PluginStore.open(store);
    const address = server.address() as { port: number };
    const url = `http://127.0.0.1:${address.port}`;
    const release = await opened.claimHost({ url });
    const upgrade = await cli('plugins', 'upgrade', 'a', join(root, 'a'), '--store', store);
    expect(upgrade.code).toBe(EXIT_CODES.OK);
    expect(upgrade.stderr).toContain(`sending the operation to it at ${url}`);
    expect(requests[0]).toMatchObject({ method: 'POST', url: '/admin/plugins/a/upgrade' });
    expect(JSON.parse(requests[0]?.body ?? '{}')).toEqual({ source: join(root, 'a') });
    await release();

    const plan = await cli('plugins', 'plan', '--url', url, '--file', 'x.yaml');
    expect(plan.stdout).toContain('No changes.');
    expect(requests[1]?.url).toBe('/admin/deployments/plan');
    const apply = await cli('plugins', 'apply', '--url', url, '--file', 'x.yaml');
    expect(apply.stdout).toContain('Applied 0 action(s).');
    const install = await cli(
      'plugins',
      'install',
      join(root, 'b'),
      '--url',
      url,
      '--disabled',
      '--isolation',
      'worker',
    );
    expect(install.code).toBe(EXIT_CODES.OK);
    expect(JSON.parse(requests[3]?.body ?? '{}')).toEqual({
      source: join(root, 'b'),
      enabled: false,
      isolation: 'worker',
    });
  });
});

describe('trellis plugins upgrade --config', () => {
  it('writes the new config document with the switch', async () => {
    await cli('plugins', 'install', await source('a', '1.0.0'), '--store', store);
    const config = join(root, 'a.json');
    await writeFile(config, JSON.stringify({ mode: 'fast' }));
    const upgrade = await cli(
      'plugins',
      'upgrade',
      'a',
      await source('a', '1.1.0'),
      '--config',
      config,
      '--store',
      store,
    );
    expect(upgrade.code).toBe(EXIT_CODES.OK);
    expect(await (await PluginStore.open(store)).readConfig('a')).toEqual({ mode: 'fast' });
  });
});

describe('trellis plugins JSON file options', () => {
  it('names the file and the line of a malformed --config, and refuses one that is not an object', async () => {
    await cli('plugins', 'install', await source('a', '1.0.0'), '--store', store);
    const bad = join(root, 'bad.json');
    await writeFile(bad, '{\n  "mode": fast\n}');
    const run = await cli(
      'plugins',
      'upgrade',
      'a',
      await source('a', '1.1.0'),
      '--config',
      bad,
      '--store',
      store,
    );
    expect(run.code).toBe(EXIT_CODES.FAILURE);
    expect(run.stderr).toContain(`CLI_JSON_FILE_INVALID: The --config file ${bad} is not valid JSON at 2:`);
    const list = join(root, 'list.json');
    await writeFile(list, '[]');
    const trust = await cli('plugins', 'verify', '--store', store, '--trust', list);
    expect(trust.stderr).toContain('does not hold a JSON object');
  });
});
