import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type PluginSummary, TrellisError } from '@trellis/core';
import { PluginAdminUnreachableError } from '../errors.js';
import { createPluginAdminClient } from './plugin-admin-client.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

const summary = (name: string, state: PluginSummary['state'] = 'active'): PluginSummary => ({
  name,
  version: '1.0.0',
  state,
  isolation: 'inline',
  critical: false,
  dependencies: [],
});

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Mimics the reference app's admin routes, decoding names as its router does. */
const adminApi: Handler = (request, response) => {
  const match = /^\/admin\/plugins(?:\/([^/]+)(?:\/(start|stop|restart))?)?$/.exec(request.url ?? '');
  if (!match) return void response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
  const [, encoded, operation] = match;
  if (encoded === undefined) return send(response, 200, { plugins: [summary('db'), summary('@acme/x')] });
  const name = decodeURIComponent(encoded);
  if (name === 'ghost') {
    const fix = 'Check the name.';
    return send(response, 404, {
      error: { code: 'PLUGIN_NOT_FOUND', message: `No plugin named "ghost". Fix: ${fix}`, fix },
    });
  }
  const state = operation === 'stop' ? 'stopped' : 'active';
  send(response, 200, operation ? summary(name, state) : { ...summary(name), dependents: ['api'], wave: 0 });
};

let server: Server;
let url: string;
let seen: Seen[];
let handler: Handler;

beforeEach(async () => {
  seen = [];
  handler = adminApi;
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        body,
      });
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function rejection(promise: Promise<unknown>): Promise<TrellisError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TrellisError);
  return error as TrellisError;
}

describe('createPluginAdminClient', () => {
  it('lists the plugins of the running app', async () => {
    const admin = createPluginAdminClient({ url });
    expect((await admin.list()).map((p) => p.name)).toEqual(['db', '@acme/x']);
    expect(seen).toEqual([
      { method: 'GET', url: '/admin/plugins', authorization: undefined, contentType: undefined, body: '' },
    ]);
  });

  it('URL-encodes scoped names and returns the details', async () => {
    const admin = createPluginAdminClient({ url: `${url}/` });
    expect(await admin.get('@acme/x')).toMatchObject({ name: '@acme/x', dependents: ['api'], wave: 0 });
    expect(seen[0]?.url).toBe('/admin/plugins/%40acme%2Fx');
  });

  it('starts, stops and restarts with the bearer token, sending a body only for restart', async () => {
    const admin = createPluginAdminClient({ url, token: 't0ken' });
    expect(await admin.start('db')).toMatchObject({ name: 'db', state: 'active' });
    expect(await admin.stop('db')).toMatchObject({ state: 'stopped' });
    await admin.restart('db', { withDependents: false });
    await admin.restart('@acme/x');
    expect(seen.map(({ method, url: path, body, contentType }) => [method, path, body, contentType])).toEqual(
      [
        ['POST', '/admin/plugins/db/start', '', undefined],
        ['POST', '/admin/plugins/db/stop', '', undefined],
        ['POST', '/admin/plugins/db/restart', '{"withDependents":false}', 'application/json'],
        ['POST', '/admin/plugins/%40acme%2Fx/restart', '{}', 'application/json'],
      ],
    );
    expect(seen.every((request) => request.authorization === 'Bearer t0ken')).toBe(true);
  });

  it("rebuilds the app's error with its code, message and fix, the fix said once", async () => {
    const error = await rejection(createPluginAdminClient({ url }).stop('ghost'));
    expect(error).toMatchObject({
      code: 'PLUGIN_NOT_FOUND',
      fix: 'Check the name.',
      message: 'No plugin named "ghost". Fix: Check the name.',
      details: { status: 404, url: `${url}/admin/plugins/ghost/stop` },
    });
  });

  it('keeps an error without a fix as it is', async () => {
    handler = (_request, response) =>
      send(response, 401, { error: { code: 'ADMIN_UNAUTHORIZED', message: 'Wrong token.' } });
    const error = await rejection(createPluginAdminClient({ url }).list());
    expect(error).toMatchObject({ code: 'ADMIN_UNAUTHORIZED', message: 'Wrong token.', fix: undefined });
  });

  it('keeps a message that does not repeat the fix as it is', async () => {
    handler = (_request, response) =>
      send(response, 409, {
        error: { code: 'PLUGIN_HOOK_VETOED', message: 'Vetoed: freeze.', fix: 'Wait.' },
      });
    const error = await rejection(createPluginAdminClient({ url }).stop('db'));
    expect(error).toMatchObject({ code: 'PLUGIN_HOOK_VETOED', message: 'Vetoed: freeze. Fix: Wait.' });
  });

  it('reports a server that is not the admin API as unreachable', async () => {
    const admin = createPluginAdminClient({ url: `${url}/nope` });
    const error = await rejection(admin.list());
    expect(error).toBeInstanceOf(PluginAdminUnreachableError);
    expect(error.message).toContain('HTTP 404');
    expect(error.fix).toContain('--url');
  });

  it.each([
    ['a list without plugins', (admin: ReturnType<typeof createPluginAdminClient>) => admin.list()],
    [
      'an operation without a plugin',
      (admin: ReturnType<typeof createPluginAdminClient>) => admin.start('db'),
    ],
  ])('reports %s as unreachable', async (_case, act) => {
    handler = (_request, response) => send(response, 200, null);
    const error = await rejection(act(createPluginAdminClient({ url })));
    expect(error.code).toBe('PLUGIN_ADMIN_UNREACHABLE');
  });

  it('reports a refused connection as unreachable, with the reason', async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const error = await rejection(createPluginAdminClient({ url }).list());
    expect(error).toMatchObject({ code: 'PLUGIN_ADMIN_UNREACHABLE', details: { url } });
    expect(error.message).toContain('ECONNREFUSED');
    // Reopen so afterEach has a server to close.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  it('gives up on an app that does not answer in time', async () => {
    handler = () => {};
    const error = await rejection(createPluginAdminClient({ url, timeoutMs: 50 }).list());
    expect(error.code).toBe('PLUGIN_ADMIN_UNREACHABLE');
    expect(error.message).toContain('no answer within 50 ms');
  });

  it('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const admin = createPluginAdminClient({
      url: 'http://app.invalid',
      fetch: async (input) => {
        calls.push(String(input));
        return new Response(JSON.stringify({ plugins: [] }), { status: 200 });
      },
    });
    expect(await admin.list()).toEqual([]);
    expect(calls).toEqual(['http://app.invalid/admin/plugins']);
  });

  it('describes a failure without a cause by its message', async () => {
    const admin = createPluginAdminClient({
      url: 'http://app.invalid',
      fetch: async () => {
        throw new Error('offline');
      },
    });
    expect((await rejection(admin.list())).message).toContain('cannot be used: offline.');
  });
});
