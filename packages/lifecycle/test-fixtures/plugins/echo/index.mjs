// Exercises every context service a plugin uses most, so one fixture proves a runtime end to end.
import { definePlugin, EVENT_BUS, HTTP_ROUTER, LOGGER } from '@trellis/core';

// A zod-shaped schema without zod: isolated runtimes call safeParse on the plugin side.
const configSchema = {
  safeParse(value) {
    const greeting = value?.greeting ?? 'hello';
    if (typeof greeting === 'string') return { success: true, data: { greeting } };
    return { success: false, error: { issues: [{ path: ['greeting'], message: 'Expected string' }] } };
  },
};

export const plugin = definePlugin({
  configSchema,
  setup(ctx) {
    ctx.resolve(HTTP_ROUTER).route({
      method: 'GET',
      path: '/echo/:word',
      handler: async (request) => {
        const { word } = request.params;
        const length = await ctx.cache.getOrSet(`length:${word}`, () => word.length);
        return { status: 200, body: { word, length, greeting: ctx.config.greeting } };
      },
    });
    ctx
      .resolve(EVENT_BUS)
      .on('echo.ping', (payload) => ctx.events.emit('echo.pong', { ...payload, by: 'echo' }));
    ctx.resolve(LOGGER).child({ phase: 'setup' }).info({ greeting: ctx.config.greeting }, 'echo set up');
  },
  start(ctx) {
    ctx.metrics.counter({ name: 'echo_starts_total', help: 'Echo starts' }).inc();
    ctx.logger.info('echo started');
  },
  stop(ctx) {
    ctx.logger.info({ aborted: ctx.signal.aborted, reason: ctx.signal.reason }, 'echo stopped');
  },
  health: () => ({ status: 'warn', message: 'echo is fine' }),
});
