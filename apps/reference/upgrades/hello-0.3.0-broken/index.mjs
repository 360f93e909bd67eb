// hello 0.3.0, a bad release: it rewrites the data folder in a new format at start (a data
// migration), then reports itself unhealthy. The upgrade's health gate fails, and the store puts
// 0.2.0 back with the data as it was before the migration.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { definePlugin, HTTP_ROUTER } from '@trellis/core';
import { z } from 'zod';

const ConfigSchema = z.object({ greeting: z.string().min(1).default('Hello') }).strict();

export const plugin = definePlugin({
  configSchema: ConfigSchema,
  async start(ctx) {
    await writeFile(join(ctx.dataDir, 'visits.json'), JSON.stringify({ format: 3, migratedBy: '0.3.0' }));
  },
  setup(ctx) {
    ctx.resolve(HTTP_ROUTER).route({
      method: 'GET',
      path: '/',
      handler: () => ({ body: { message: 'Hello from 0.3.0', version: '0.3.0' } }),
    });
  },
  health: () => ({ status: 'fail', message: 'greeting backend unreachable' }),
});
