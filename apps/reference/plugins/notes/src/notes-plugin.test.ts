import { describe, expect, it } from '@jest/globals';
import {
  createPlatform,
  createPluginContext,
  HTTP_ROUTER,
  type HttpRequest,
  type HttpRoute,
  type HttpRouter,
  isPlugin,
} from '@trellis/core';
import { type NotesConfig, NotesConfigSchema, plugin } from './notes-plugin.js';
import { sandboxReport } from './sandbox-report.js';

function setUp(config: NotesConfig) {
  const routes = new Map<string, HttpRoute>();
  const router: HttpRouter = {
    basePath: '/plugins/notes',
    route: (route) => {
      routes.set(`${route.method} ${route.path}`, route);
      return { dispose: () => routes.delete(`${route.method} ${route.path}`) };
    },
    scope: () => router,
  };
  const platform = createPlatform({ logLevel: 'silent' });
  const ctx = createPluginContext({
    parent: platform.container,
    manifest: { name: 'notes', version: '0.1.0', platform: '^0.1.0' },
    config,
    signal: new AbortController().signal,
  });
  ctx.container.register(HTTP_ROUTER, { useValue: router });
  const call = async (key: string, body?: unknown) => {
    const request: HttpRequest = {
      method: key.split(' ')[0] as string,
      url: '/',
      params: {},
      query: {},
      headers: {},
      body,
    };
    return routes.get(key)?.handler(request);
  };
  return { ctx, call, platform };
}

describe('notes plugin', () => {
  it('is a plugin with a strict, defaulted config', () => {
    expect(isPlugin(plugin)).toBe(true);
    expect(NotesConfigSchema.parse({})).toEqual({ maxNotes: 100, maxLength: 1_000 });
    expect(NotesConfigSchema.safeParse({ maxnotes: 1 }).success).toBe(false);
  });

  it('adds notes and lists them, keeping only the newest maxNotes', async () => {
    const { ctx, call } = setUp({ maxNotes: 2, maxLength: 50 });
    await plugin.setup?.(ctx);
    expect(await call('POST /', { text: 'one' })).toMatchObject({
      status: 201,
      body: { id: 1, text: 'one' },
    });
    await call('POST /', { text: 'two' });
    await call('POST /', { text: 'three' });
    const listed = (await call('GET /'))?.body as { notes: { id: number; text: string }[] };
    expect(listed.notes.map((n) => [n.id, n.text])).toEqual([
      [2, 'two'],
      [3, 'three'],
    ]);
    expect(await plugin.health?.(ctx)).toEqual({ status: 'pass', details: { notes: 2 } });
  });

  it.each([[undefined], [{}], [{ text: '' }], [{ text: 7 }], [{ text: 'x'.repeat(51) }]])(
    'refuses %p with 400',
    async (body) => {
      const { ctx, call } = setUp({ maxNotes: 2, maxLength: 50 });
      await plugin.setup?.(ctx);
      expect(await call('POST /', body)).toMatchObject({
        status: 400,
        body: { error: { code: 'NOTES_TEXT_INVALID' } },
      });
    },
  );

  it('keeps notes in its own cache namespace', async () => {
    const { ctx, call, platform } = setUp({ maxNotes: 5, maxLength: 50 });
    await plugin.setup?.(ctx);
    await call('POST /', { text: 'kept' });
    const { CACHE } = await import('@trellis/core');
    expect(await platform.resolve(CACHE).get('plugin:notes:notes')).toEqual([
      expect.objectContaining({ text: 'kept' }),
    ]);
  });

  it('reports an unrestricted sandbox when run without the permission model', async () => {
    const { ctx, call } = setUp({ maxNotes: 5, maxLength: 50 });
    await plugin.setup?.(ctx);
    const report = (await call('GET /sandbox'))?.body as ReturnType<typeof sandboxReport>;
    expect(report.permissionModel).toBe(false);
    expect(report.canRead['/etc/passwd']).toBe(true);
    expect(report.pid).toBe(process.pid);
  });
});

describe('sandboxReport', () => {
  it('asks the permission model when there is one', () => {
    const asked: string[] = [];
    const original = Object.getOwnPropertyDescriptor(process, 'permission');
    Object.defineProperty(process, 'permission', {
      configurable: true,
      value: {
        has: (scope: string, ref?: string) => {
          asked.push(`${scope} ${ref ?? ''}`);
          return scope === 'fs.read' && ref === '/ok';
        },
      },
    });
    try {
      const report = sandboxReport(['/ok', '/etc/passwd']);
      expect(report).toMatchObject({
        permissionModel: true,
        canRead: { '/ok': true, '/etc/passwd': false },
        canSpawnProcesses: false,
        canStartWorkers: false,
      });
      expect(asked).toContain('child ');
    } finally {
      if (original) Object.defineProperty(process, 'permission', original);
      else delete (process as { permission?: unknown }).permission;
    }
  });
});
