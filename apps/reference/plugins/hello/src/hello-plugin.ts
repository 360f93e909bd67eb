import { definePlugin, HTTP_ROUTER, type PluginContext } from '@trellis/core';
import { z } from 'zod';

/** Config slice `plugins.hello`. */
export const HelloConfigSchema = z
  .object({
    /** The word each greeting starts with. */
    greeting: z.string().min(1).default('Hello'),
  })
  .strict();

/** The hello plugin's parsed config. */
export type HelloConfig = z.infer<typeof HelloConfigSchema>;

const COUNT_KEY = 'greetings';

async function countGreeting(ctx: PluginContext<HelloConfig>): Promise<number> {
  const count = ((await ctx.cache.get<number>(COUNT_KEY)) ?? 0) + 1;
  await ctx.cache.set(COUNT_KEY, count, { ttlMs: 0 });
  return count;
}

/**
 * The sample plugin. `GET /plugins/hello` greets the world and `GET /plugins/hello/greet/:name`
 * greets a name; both count greetings in the plugin's cache namespace.
 */
export const plugin = definePlugin<HelloConfig>({
  configSchema: HelloConfigSchema,
  setup(ctx) {
    const router = ctx.resolve(HTTP_ROUTER);
    router.route({
      method: 'GET',
      path: '/',
      handler: async () => ({
        body: { message: `${ctx.config.greeting}, world!`, greetings: await countGreeting(ctx) },
      }),
    });
    router.route({
      method: 'GET',
      path: '/greet/:name',
      handler: async (request) => ({
        body: {
          message: `${ctx.config.greeting}, ${request.params.name}!`,
          greetings: await countGreeting(ctx),
        },
      }),
    });
    ctx.logger.info({ basePath: router.basePath }, 'hello routes registered');
  },
  health: async (ctx) => ({
    status: 'pass',
    details: { greetings: (await ctx.cache.get<number>(COUNT_KEY)) ?? 0 },
  }),
});
