// Type tests: `pnpm typecheck` fails if a misuse below stops being a compile error.
import { z } from 'zod';
import { definePlugin } from './define-plugin.js';

// @ts-expect-error a hook must be a function
definePlugin({ start: 5 });

// @ts-expect-error a hook must be a function
definePlugin({ health: 'pass' });

// @ts-expect-error configSchema must be a zod schema
definePlugin({ configSchema: { greeting: 'hello' } });

// @ts-expect-error unknown hook names are rejected
definePlugin({ starts() {} });

// The config type comes from the schema.
definePlugin({
  configSchema: z.object({ port: z.number() }),
  setup(ctx) {
    const port: number = ctx.config.port;
    // @ts-expect-error port is a number, not a string
    const wrong: string = ctx.config.port;
    // @ts-expect-error the schema has no such key
    void ctx.config.host;
    void port;
    void wrong;
  },
});

// health may return a status or a result, not anything else.
definePlugin({ health: () => ({ status: 'warn', message: 'slow' }) });
// @ts-expect-error not a health status
definePlugin({ health: () => 'ok' });
