// The reference app running its plugins from a plugin store deployed from a trellis.plugins.yaml:
// live upgrade through the admin API, an automatic rollback after a failed health gate (data
// included), a manual rollback, plan/apply, and the store's record of the running app.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsoleLogger } from '@trellis/core';
import { PluginStore } from '@trellis/lifecycle';
import { type ReferenceApp, startReferenceApp } from './reference-app.js';

const appRoot = resolve(__dirname, '..');
// Inside the app, so the stored plugins resolve @trellis/core and zod from its node_modules.
const work = join(appRoot, '.tmp-test', `plugin-store-${process.pid}`);
const desired = join(work, 'trellis.plugins.yaml');
let app: ReferenceApp | undefined;

beforeAll(async () => {
  await mkdir(work, { recursive: true });
  await writeFile(
    desired,
    ['version: 1', 'plugins:', '  hello:', `    source: ${join(appRoot, 'plugins', 'hello')}`, ''].join('\n'),
  );
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
afterEach(async () => {
  await app?.platform.stop();
  app = undefined;
});

async function start(store: string) {
  app = await startReferenceApp({
    pluginsDir: join(appRoot, 'plugins'),
    overrides: { 'http.port': 0, 'pluginStore.gate.timeoutMs': 1_000, 'pluginStore.gate.intervalMs': 20 },
    logger: new ConsoleLogger({ level: 'silent' }),
    pluginStore: { dir: store, desiredState: desired },
  });
  return app;
}

async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('reference app on a plugin store', () => {
  it('deploys trellis.plugins.yaml at start, upgrades live, rolls back a failed gate with its data', async () => {
    const store = join(work, 'store-a');
    const running = await start(store);
    expect(running.plugins.list().map((p) => `${p.name}@${p.version}`)).toEqual(['hello@0.1.0']);
    expect(await PluginStore.hostOf(store)).toMatchObject({ pid: process.pid, url: running.url });

    const upgraded = await post(`${running.url}/admin/plugins/hello/upgrade`, {
      source: join(appRoot, 'upgrades', 'hello-0.2.0'),
      config: { greeting: 'Hej' },
    });
    expect(upgraded).toMatchObject({ status: 200, body: { from: '0.1.0', to: '0.2.0', gate: 'passed' } });
    // The upgrade's config document beats the schema default the app would otherwise hand over.
    expect(await (await fetch(`${running.url}/plugins/hello`)).json()).toMatchObject({
      message: 'Hej, world!',
      version: '0.2.0',
      visits: 1,
    });
    const visits = join(store, 'data', 'hello', 'visits.json');
    const before = await readFile(visits, 'utf8');

    const broken = await post(`${running.url}/admin/plugins/hello/upgrade`, {
      source: join(appRoot, 'upgrades', 'hello-0.3.0-broken'),
    });
    expect(broken.status).toBe(409);
    expect(broken.body).toMatchObject({ error: { code: 'PLUGIN_HEALTH_GATE_FAILED' } });
    expect(await readFile(visits, 'utf8')).toBe(before);
    expect(await (await fetch(`${running.url}/plugins/hello`)).json()).toMatchObject({
      version: '0.2.0',
      visits: 2,
    });

    const rollback = await post(`${running.url}/admin/plugins/hello/rollback`, {});
    expect(rollback.body).toMatchObject({ from: '0.2.0', to: '0.1.0' });
    expect(await (await fetch(`${running.url}/plugins/hello`)).json()).toMatchObject({
      message: 'Hello, world!',
    });

    // The desired state says hello from its folder: apply brings it back to that (a no-op after).
    const plan = await post(`${running.url}/admin/deployments/plan`, { file: desired });
    expect(plan.body).toMatchObject({ problems: [] });
    const apply = await post(`${running.url}/admin/deployments/apply`, { file: desired });
    expect(apply.status).toBe(200);
    expect((await post(`${running.url}/admin/deployments/plan`, { file: desired })).body).toMatchObject({
      actions: [],
    });
    await running.platform.stop();
    app = undefined;
    expect(await PluginStore.hostOf(store)).toBeUndefined();
  });

  it('runs an offline upgrade’s health gate at the next start and rolls a failing version back', async () => {
    const store = join(work, 'store-b');
    await (await start(store)).platform.stop();
    app = undefined;
    const { PluginDeployer } = await import('@trellis/lifecycle');
    const offline = new PluginDeployer({ store: await PluginStore.open(store) });
    expect(
      await offline.upgrade('hello', { source: join(appRoot, 'upgrades', 'hello-0.3.0-broken') }),
    ).toMatchObject({ gate: 'pending' });
    const running = await start(store);
    expect(running.plugins.list().find((p) => p.name === 'hello')).toMatchObject({
      version: '0.1.0',
      state: 'active',
    });
  });

  it('answers deployment routes with ADMIN_NO_PLUGIN_STORE when the app runs a plugins folder', async () => {
    app = await startReferenceApp({
      pluginsDir: join(appRoot, 'plugins'),
      overrides: { 'http.port': 0 },
      logger: new ConsoleLogger({ level: 'silent' }),
    });
    const response = await post(`${app.url}/admin/plugins/hello/rollback`, {});
    expect(response).toMatchObject({ status: 404, body: { error: { code: 'ADMIN_NO_PLUGIN_STORE' } } });
  });
});
