import { afterEach, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { FastifyHttpRouter } from './fastify-http-router.js';

let server: FastifyInstance;

afterEach(async () => {
  await server?.close();
});

function setUp() {
  server = Fastify({ logger: false });
  return FastifyHttpRouter.create(server);
}

describe('FastifyHttpRouter', () => {
  it('serves a route under its scope with status, headers and JSON body', async () => {
    const router = setUp().scope('/plugins/demo');
    expect(router.basePath).toBe('/plugins/demo');
    router.route({
      method: 'GET',
      path: '/items/:id',
      handler: (req) => ({
        status: 201,
        headers: { 'x-demo': 'yes' },
        body: { id: req.params.id, q: req.query.q },
      }),
    });
    const res = await server.inject({ method: 'GET', url: '/plugins/demo/items/7?q=a' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-demo']).toBe('yes');
    expect(res.json()).toEqual({ id: '7', q: 'a' });
  });

  it('serves "/" of a scope at the scope path itself', async () => {
    const router = setUp().scope('/plugins/demo/');
    router.route({ method: 'GET', path: '/', handler: () => ({ body: 'root' }) });
    const res = await server.inject({ method: 'GET', url: '/plugins/demo' });
    expect(res.body).toBe('root');
  });

  it('passes the request body to POST handlers', async () => {
    const router = setUp();
    router.route({ method: 'POST', path: '/echo', handler: (req) => ({ body: req.body }) });
    const res = await server.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(res.json()).toEqual({ a: 1 });
  });

  it('answers 404 after the route is disposed, and lets the URL be served again', async () => {
    const router = setUp();
    const first = router.route({ method: 'GET', path: '/x', handler: () => ({ body: 'one' }) });
    first.dispose();
    expect((await server.inject({ method: 'GET', url: '/x' })).statusCode).toBe(404);
    router.route({ method: 'GET', path: '/x', handler: () => ({ body: 'two' }) });
    expect((await server.inject({ method: 'GET', url: '/x' })).body).toBe('two');
  });

  it('refuses a second live route on the same method and URL', () => {
    const router = setUp();
    router.route({ method: 'GET', path: '/x', handler: () => ({}) });
    expect(() => router.scope('/').route({ method: 'GET', path: 'x', handler: () => ({}) })).toThrow(
      expect.objectContaining({ code: 'HTTP_ROUTE_CONFLICT' }),
    );
  });

  it('serves a route added after the server listens, and asks the unmatched hook before a 404', async () => {
    const router = setUp();
    await server.listen({ host: '127.0.0.1', port: 0 });
    router.route({ method: 'GET', path: '/late', handler: () => ({ body: 'late' }) });
    expect((await server.inject({ method: 'GET', url: '/late' })).body).toBe('late');
    const asked: string[] = [];
    router.onUnmatched(async (method, path) => {
      asked.push(`${method} ${path}`);
      router.route({ method: 'GET', path: '/lazy/:id', handler: (req) => ({ body: { id: req.params.id } }) });
      return true;
    });
    expect((await server.inject({ method: 'GET', url: '/lazy/7?x=1' })).json()).toEqual({ id: '7' });
    expect(asked).toEqual(['GET /lazy/7']);
  });

  it('sends null for a response without a body', async () => {
    const router = setUp();
    router.route({ method: 'DELETE', path: '/x', handler: () => ({ status: 204 }) });
    const res = await server.inject({ method: 'DELETE', url: '/x' });
    expect(res.statusCode).toBe(204);
  });
});
