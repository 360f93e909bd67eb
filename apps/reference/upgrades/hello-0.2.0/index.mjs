// hello 0.2.0: the greeting now says which version answered, and visits are kept on disk in the
// plugin's data folder, which the store backs up before an upgrade and restores on a rollback.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { definePlugin, HTTP_ROUTER } from '@trellis/core';
import { z } from 'zod';

const ConfigSchema = z.object({ greeting: z.string().min(1).default('Hello') }).strict();

async function countVisit(dataDir) {
  const file = join(dataDir, 'visits.json');
  const visits = JSON.parse(await readFile(file, 'utf8').catch(() => '{"count":0}')).count + 1;
  await writeFile(file, JSON.stringify({ count: visits, by: '0.2.0' }));
  return visits;
}

export const plugin = definePlugin({
  configSchema: ConfigSchema,
  setup(ctx) {
    ctx.resolve(HTTP_ROUTER).route({
      method: 'GET',
      path: '/',
      handler: async () => ({
        body: {
          message: `${ctx.config.greeting}, world!`,
          version: '0.2.0',
          visits: await countVisit(ctx.dataDir),
        },
      }),
    });
  },
  health: () => 'pass',
});
