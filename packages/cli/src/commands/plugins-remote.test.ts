import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { PluginSummary } from '@trellis/core';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliIO } from '../output.js';
import { run } from '../run.js';

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

const summary = (name: string, overrides: Partial<PluginSummary> = {}): PluginSummary => ({
  name,
  version: '1.0.0',
  state: 'active',
  isolation: 'inline',
  critical: false,
  dependencies: [],
  ...overrides,
});

const PLUGINS = [
  summary('db', { critical: true }),
  summary('@acme/billing', {
    dependencies: ['db'],
    state: 'failed',
    isolation: 'worker',
    error: { code: 'PLUGIN_HOOK_FAILED', message: 'boom' },
  }),
];

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

let server: Server;
let url: string;
let seen: Seen[];

/** A small stand-in for the reference app's admin API, decoding names as its router does. */
function answer(method: string, path: string, response: ServerResponse) {
  if (method === 'GET' && path === '/admin/plugins') return send(response, 200, { plugins: PLUGINS });
  const match = /^\/admin\/plugins\/([^/]+)(?:\/(start|stop|restart))?$/.exec(path);
  const plugin = PLUGINS.find((p) => p.name === decodeURIComponent(match?.[1] ?? ''));
  if (!match || !plugin) {
    const fix = 'Check the name; `trellis plugins list` shows every plugin.';
    const message = `No plugin named "${decodeURIComponent(match?.[1] ?? '')}". Fix: ${fix}`;
    return send(response, 404, { error: { code: 'PLUGIN_NOT_FOUND', message, fix } });
  }
  const operation = match[2];
  if (operation === undefined) {
    return send(response, 200, {
      ...plugin,
      dir: `/srv/plugins/${plugin.name}`,
      wave: 0,
      permissions: ['cache:write'],
      dependents: ['@acme/billing'],
      history: [
        { from: 'resolved', to: 'starting', reason: 'boot' },
        { from: 'starting', to: 'active' },
      ],
    });
  }
  if (plugin.name === '@acme/billing') return send(response, 200, plugin);
  send(response, 200, { ...plugin, state: operation === 'stop' ? 'stopped' : 'active' });
}

beforeEach(async () => {
  delete process.env.TRELLIS_ADMIN_URL;
  delete process.env.TRELLIS_ADMIN_TOKEN;
  seen = [];
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const method = request.method ?? '';
      const path = request.url ?? '';
      seen.push({ method, url: path, authorization: request.headers.authorization, body });
      answer(method, path, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

const savedEnv = { ...process.env };

afterEach(async () => {
  process.env = { ...savedEnv };
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Runs `trellis <args>` with captured output. */
async function cli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
  const code = await run(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('trellis plugins list --url', () => {
  it("prints the running app's plugins as a table", async () => {
    const result = await cli('plugins', 'list', '--url', url);
    expect(result).toEqual({
      code: EXIT_CODES.OK,
      stdout: [
        'name           version  state   isolation  critical  error',
        'db             1.0.0    active  inline     true',
        '@acme/billing  1.0.0    failed  worker     false     PLUGIN_HOOK_FAILED',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(seen).toEqual([{ method: 'GET', url: '/admin/plugins', authorization: undefined, body: '' }]);
  });

  it('prints { plugins } with --json', async () => {
    const result = await cli('--json', 'plugins', 'list', '--url', url);
    expect(JSON.parse(result.stdout)).toEqual({ plugins: PLUGINS });
  });

  it('takes the URL and token from TRELLIS_ADMIN_URL and TRELLIS_ADMIN_TOKEN', async () => {
    process.env.TRELLIS_ADMIN_URL = url;
    process.env.TRELLIS_ADMIN_TOKEN = 'from-env';
    expect((await cli('plugins', 'list')).code).toBe(EXIT_CODES.OK);
    expect((await cli('plugins', 'list', '--token', 'from-flag')).code).toBe(EXIT_CODES.OK);
    expect(seen.map((request) => request.authorization)).toEqual(['Bearer from-env', 'Bearer from-flag']);
  });

  it('exits 3 with PLUGIN_ADMIN_UNREACHABLE and the fix when no app answers', async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const result = await cli('plugins', 'list', '--url', url);
    expect(result.code).toBe(EXIT_CODES.UNAVAILABLE);
    expect(result.stderr).toMatch(/^PLUGIN_ADMIN_UNREACHABLE: .*ECONNREFUSED.* Fix: Check --url/);
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
});

describe('trellis plugins info --url', () => {
  it('URL-encodes a scoped name and prints the details with lists', async () => {
    const result = await cli('plugins', 'info', 'db', '--url', url);
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout).toContain('critical:  true\n');
    expect(result.stdout).toContain('\ndependents:\n  @acme/billing\n');
    expect(result.stdout).toContain('\nhistory:\n  resolved → starting (boot)\n  starting → active\n');
    await cli('plugins', 'info', '@acme/billing', '--url', url);
    expect(seen[1]?.url).toBe('/admin/plugins/%40acme%2Fbilling');
  });

  it("exits 1 with the app's PLUGIN_NOT_FOUND, its fix said once", async () => {
    const result = await cli('plugins', 'info', 'ghost', '--url', url);
    expect(result).toEqual({
      code: EXIT_CODES.FAILURE,
      stdout: '',
      stderr:
        'PLUGIN_NOT_FOUND: No plugin named "ghost". Fix: Check the name; `trellis plugins list` shows every plugin.\n',
    });
  });
});

describe('trellis plugins start|stop|restart --url', () => {
  it('starts and stops a plugin, printing its summary', async () => {
    const started = await cli('plugins', 'start', 'db', '--url', url);
    expect(started.code).toBe(EXIT_CODES.OK);
    expect(started.stdout).toMatch(/^name: {6}db\n[\s\S]*^state: {5}active$/m);
    const stopped = await cli('--json', 'plugins', 'stop', 'db', '--url', url);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ name: 'db', state: 'stopped' });
    expect(seen.map(({ method, url: path }) => `${method} ${path}`)).toEqual([
      'POST /admin/plugins/db/start',
      'POST /admin/plugins/db/stop',
    ]);
  });

  it('restarts with dependents by default, alone with --no-dependents', async () => {
    expect((await cli('plugins', 'restart', 'db', '--url', url)).code).toBe(EXIT_CODES.OK);
    expect((await cli('plugins', 'restart', 'db', '--no-dependents', '--url', url)).code).toBe(EXIT_CODES.OK);
    expect(seen.map((request) => request.body)).toEqual([
      '{"withDependents":true}',
      '{"withDependents":false}',
    ]);
  });

  it('exits 1 when the plugin ends up failed', async () => {
    const result = await cli('plugins', 'start', '@acme/billing', '--url', url);
    expect(result.code).toBe(EXIT_CODES.FAILURE);
    expect(result.stdout).toContain('state:     failed');
    expect(result.stderr).toBe('@acme/billing failed: PLUGIN_HOOK_FAILED: boom\n');
    const json = await cli('--json', 'plugins', 'restart', '@acme/billing', '--url', url);
    expect(json.code).toBe(EXIT_CODES.FAILURE);
    expect(JSON.parse(json.stdout)).toMatchObject({ state: 'failed' });
    expect(json.stderr).toBe('');
  });

  it('sends the token as a bearer token', async () => {
    await cli('plugins', 'stop', 'db', '--url', url, '--token', 's3cret');
    expect(seen[0]?.authorization).toBe('Bearer s3cret');
  });
});
