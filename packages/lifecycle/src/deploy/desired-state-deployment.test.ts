import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createPlatform } from '@trellis/core';
import { renderPlan } from '../desired-state/index.js';
import { PluginManager } from '../manager/plugin-manager.js';
import { packPluginFolder } from '../store/archive/index.js';
import { PluginStore } from '../store/plugin-store.js';
import { applyDeployment, planDeployment } from './desired-state-deployment.js';
import { PluginDeployer } from './plugin-deployer.js';
import { writeTestPlugin } from './store-test-plugins.js';

let root: string;
let manager: PluginManager | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-desired-'));
});
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
  await rm(root, { recursive: true, force: true });
});

async function liveDeployer() {
  const store = await PluginStore.open(join(root, 'store'));
  const platform = createPlatform({ logLevel: 'silent' });
  manager = new PluginManager({ container: platform.container, plugins: [] });
  await manager.boot();
  return {
    store,
    manager,
    deployer: new PluginDeployer({ store, manager, gate: { timeoutMs: 500, intervalMs: 20 } }),
  };
}

describe('plan and apply a desired state against the store', () => {
  it('installs from folders and archives, then plans nothing and applies as a no-op', async () => {
    const { store, manager: live, deployer } = await liveDeployer();
    const sources = join(root, 'sources');
    await writeTestPlugin(sources, { name: 'db', version: '1.0.0' });
    const api = await writeTestPlugin(sources, {
      name: 'api',
      version: '1.0.0',
      dependencies: { db: '^1.0.0' },
    });
    await packPluginFolder(api, join(sources, 'api-1.0.0.tgz'));
    const file = join(root, 'trellis.plugins.yaml');
    await writeFile(
      file,
      [
        'version: 1',
        'plugins:',
        '  api:',
        '    source: ./sources/api-1.0.0.tgz',
        '  db:',
        '    source: ./sources/db-1.0.0',
        '    isolation: worker',
        '',
      ].join('\n'),
    );
    const plan = await planDeployment(store, file);
    expect(plan.problems).toEqual([]);
    expect(plan.actions.map((a) => `${a.kind} ${a.name}`)).toEqual([
      'install db',
      'set-isolation db',
      'enable db',
      'install api',
      'enable api',
    ]);
    expect(renderPlan(plan)).toContain('Plan: 2 to install');
    const result = await applyDeployment(deployer, plan, { actor: { id: 'ci' } });
    expect(result.failed).toBeUndefined();
    expect(live.get('api')?.state).toBe('active');
    expect(live.get('db')).toMatchObject({ state: 'active', isolation: 'worker' });

    const again = await planDeployment(store, file);
    expect(again.actions).toEqual([]);
    expect(again.unchanged).toEqual(['api', 'db']);
    expect((await applyDeployment(deployer, again)).applied).toEqual([]);
  });

  it('upgrades, and uninstalls what the file no longer lists', async () => {
    const { store, manager: live, deployer } = await liveDeployer();
    const sources = join(root, 'sources');
    await deployer.install(await writeTestPlugin(sources, { name: 'a', version: '1.0.0' }));
    await deployer.install(await writeTestPlugin(sources, { name: 'old', version: '0.3.0' }));
    await writeTestPlugin(sources, { name: 'a', version: '1.1.0' });
    const file = join(root, 'trellis.plugins.yaml');
    await writeFile(file, 'version: 1\nplugins:\n  a:\n    source: ./sources/a-1.1.0\n');
    const plan = await planDeployment(store, file);
    expect(plan.actions.map((a) => `${a.kind} ${a.name}`)).toEqual(['uninstall old', 'upgrade a']);
    await applyDeployment(deployer, plan);
    expect(live.get('a')?.version).toBe('1.1.0');
    expect(live.get('old')).toBeUndefined();
    expect((await planDeployment(store, file)).actions).toEqual([]);
  });
});
