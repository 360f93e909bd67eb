import { afterEach, describe, expect, it } from '@jest/globals';
import { AUDIT_LOG, createPlatform, definePlugin, type Platform } from '@trellis/core';
import { PluginManager } from '@trellis/lifecycle';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAdminRoutes } from './admin-routes.js';

let server: FastifyInstance;
let manager: PluginManager | undefined;
let platform: Platform;

const plugin = (name: string, deps: Record<string, string> = {}) => ({
  manifest: { name, version: '1.0.0', platform: '^0.1.0', dependencies: deps },
  dir: `/plugins/${name}`,
  plugin: definePlugin({ start() {} }),
});

async function setup(options: { token?: string; boot?: boolean } = {}) {
  platform = createPlatform({ logLevel: 'silent' });
  server = Fastify({ logger: false });
  manager = new PluginManager({
    container: platform.container,
    plugins: [plugin('db'), plugin('api', { db: '^1.0.0' })],
  });
  const booted = manager;
  if (options.boot !== false) await booted.boot();
  registerAdminRoutes(server, {
    manager: () => (options.boot === false ? undefined : booted),
    ...(options.token ? { token: options.token } : {}),
  });
}

afterEach(async () => {
  await manager?.shutdown();
  await server.close();
});

describe('admin routes', () => {
  it('lists plugins with their state', async () => {
    await setup();
    const res = await server.inject({ method: 'GET', url: '/admin/plugins' });
    expect(res.statusCode).toBe(200);
    expect(res.json().plugins.map((p: { name: string; state: string }) => [p.name, p.state])).toEqual([
      ['db', 'active'],
      ['api', 'active'],
    ]);
  });

  it('shows one plugin with its dependents and history', async () => {
    await setup();
    const res = await server.inject({ method: 'GET', url: '/admin/plugins/db' });
    expect(res.json()).toMatchObject({ name: 'db', dependents: ['api'], wave: 0 });
    expect(res.json().history.map((t: { to: string }) => t.to)).toEqual(['resolved', 'starting', 'active']);
  });

  it('answers 404 with the error code for an unknown plugin', async () => {
    await setup();
    const res = await server.inject({ method: 'POST', url: '/admin/plugins/ghost/restart' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'PLUGIN_NOT_FOUND' });
  });

  it('stops a plugin with its dependents and audits who asked', async () => {
    await setup();
    const res = await server.inject({ method: 'POST', url: '/admin/plugins/db/stop' });
    expect(res.json()).toMatchObject({ name: 'db', state: 'stopped' });
    expect(manager?.get('api')?.state).toBe('stopped');
    const [record] = await platform.resolve(AUDIT_LOG).query({ action: 'plugin.stop' });
    expect(record).toMatchObject({
      actor: 'admin@127.0.0.1',
      outcome: 'success',
      details: { via: 'admin-api' },
    });
  });

  it('restarts a plugin alone when asked', async () => {
    await setup();
    const res = await server.inject({
      method: 'POST',
      url: '/admin/plugins/db/restart',
      payload: { withDependents: false },
    });
    expect(res.json()).toMatchObject({ state: 'active' });
    const [record] = await platform.resolve(AUDIT_LOG).query({ action: 'plugin.restart' });
    expect(record?.details).toMatchObject({ affected: ['db'] });
  });

  it('answers 409 when a hook vetoes the operation', async () => {
    await setup();
    manager?.hooks.on('beforeStop', () => ({ veto: 'freeze' }));
    const res = await server.inject({ method: 'POST', url: '/admin/plugins/api/stop' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'PLUGIN_HOOK_VETOED' });
  });

  it('requires the bearer token when one is configured', async () => {
    await setup({ token: 'a-long-admin-token-123' });
    expect((await server.inject({ method: 'GET', url: '/admin/plugins' })).statusCode).toBe(401);
    const wrong = await server.inject({
      method: 'GET',
      url: '/admin/plugins',
      headers: { authorization: 'Bearer a-long-admin-token-124' },
    });
    expect(wrong.statusCode).toBe(401);
    const right = await server.inject({
      method: 'GET',
      url: '/admin/plugins',
      headers: { authorization: 'Bearer a-long-admin-token-123' },
    });
    expect(right.statusCode).toBe(200);
  });

  it('refuses non-loopback clients when no token is configured', async () => {
    await setup();
    const res = await server.inject({ method: 'GET', url: '/admin/plugins', remoteAddress: '10.1.2.3' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('ADMIN_FORBIDDEN');
  });

  it('answers 503 before plugins have booted', async () => {
    await setup({ boot: false });
    const res = await server.inject({ method: 'GET', url: '/admin/plugins' });
    expect(res.statusCode).toBe(503);
  });
});
