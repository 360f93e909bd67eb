// Test fixture (plain ESM so it runs without a build): a slow route and a slow stop hook.
import { setTimeout as sleep } from 'node:timers/promises';
import { definePlugin, HTTP_ROUTER } from '@trellis/core';

export const plugin = definePlugin({
  setup(ctx) {
    ctx.resolve(HTTP_ROUTER).route({
      method: 'GET',
      path: '/work',
      handler: async () => {
        await sleep(300);
        return { body: { done: true } };
      },
    });
  },
  async stop(ctx) {
    await sleep(200);
    ctx.logger.info('slow plugin stopped');
  },
});
