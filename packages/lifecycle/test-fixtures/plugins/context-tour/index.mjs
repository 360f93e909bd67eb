// Uses the parts of the context echo does not (own container, router scopes, cache namespaces,
// metric views, once/emitAsync, clock, tracer) and reports what it saw through health.
// The brand definePlugin adds; set by hand so this fixture needs no dependency.
const brand = Symbol.for('@trellis/core.Plugin');
const HTTP_ROUTER = Symbol.for('@trellis/core.HttpRouter');
const CLOCK = Symbol.for('@trellis/core.Clock');
const TRACER = Symbol.for('@trellis/core.Tracer');
const THING = Symbol.for('@tour/own.Thing');
const MADE = Symbol.for('@tour/own.Made');

export const plugin = {
  [brand]: true,
  async setup(ctx) {
    ctx.container.register(THING, { useValue: { n: 1 } });
    ctx.container.register(MADE, { useFactory: (c) => ({ from: c.resolve(THING).n + 1 }) });
    const v1 = ctx.resolve(HTTP_ROUTER).scope('/v1');
    v1.route({
      method: 'POST',
      path: '/echo',
      handler: (request) => ({ status: 201, headers: { 'x-base': v1.basePath }, body: request.body }),
    });
    v1.route({ method: 'GET', path: '/gone', handler: () => ({}) }).dispose();
    await ctx.cache.namespace('tour').set('kept', { deep: [1, 2] }, { tags: ['tour'] });
    await ctx.cache.namespace('tour').set('dropped', 1, { tags: ['drop'] });
    const metrics = ctx.metrics.withLabels({ area: 'tour' });
    metrics.gauge({ name: 'tour_gauge', help: 'A gauge' }).set(5);
    metrics.histogram({ name: 'tour_seconds', help: 'A histogram' }).observe(0.25);
  },
  async health(ctx) {
    const heard = [];
    ctx.events.once('tour.tick', (payload) => heard.push(payload));
    const listeners = ctx.events.listenerCount('tour.tick');
    await ctx.events.emitAsync('tour.tick', { n: 1 });
    await ctx.events.emitAsync('tour.tick', { n: 2 });
    const cache = ctx.cache.namespace('tour');
    return {
      status: 'pass',
      details: {
        own: ctx.container.resolve(THING),
        made: ctx.resolve(MADE),
        registered: ctx.container.isRegistered(THING),
        heard,
        listeners,
        kept: await cache.get('kept'),
        invalidated: await cache.invalidateTags(['drop']),
        deleted: await cache.delete('kept'),
        clock: typeof ctx.resolve(CLOCK).now(),
        traced: ctx.resolve(TRACER).withSpan('tour', () => 'ran'),
        basePath: ctx.resolve(HTTP_ROUTER).scope('/v1').basePath,
      },
    };
  },
};
