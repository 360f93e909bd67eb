// Calls a host-side probe service from a hook and from a route handler, after an await, so the
// test sees which traceparent reached the host; stop lets a host error cross both ways.
// The brand definePlugin adds; set by hand so this fixture needs no dependency.
const brand = Symbol.for('@trellis/core.Plugin');
const PROBE = Symbol.for('@trellis-test/probe.Probe');
const HTTP_ROUTER = Symbol.for('@trellis/core.HttpRouter');
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

export const plugin = {
  [brand]: true,
  setup(ctx) {
    ctx.resolve(HTTP_ROUTER).route({
      method: 'GET',
      path: '/trace',
      handler: async () => {
        await tick();
        await ctx.resolve(PROBE).report('route');
        return { body: 'ok' };
      },
    });
  },
  async start(ctx) {
    await tick();
    await ctx.resolve(PROBE).report('start');
  },
  async stop(ctx) {
    await ctx.resolve(PROBE).fail('PROBE_FAILED');
  },
};
