import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { composeConfigSchema } from './compose-schema.js';

const hello = z.object({ greeting: z.string().default('Hello') }).strict();

describe('composeConfigSchema', () => {
  it('gives each plugin a typed slice under plugins.<name> that defaults to its own defaults', () => {
    const schema = composeConfigSchema({
      modules: { http: z.object({ port: z.number().default(3000) }).default({ port: 3000 }) },
      plugins: { hello },
    });
    const value = schema.parse({});
    expect(value).toEqual({ http: { port: 3000 }, plugins: { hello: { greeting: 'Hello' } } });
    const greeting: string = value.plugins.hello.greeting;
    expect(greeting).toBe('Hello');
  });

  it('rejects unknown top-level sections and unknown plugins', () => {
    const schema = composeConfigSchema({ modules: {}, plugins: { hello } });
    const result = schema.safeParse({ nope: 1, plugins: { ghost: {} } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.code)).toEqual(['unrecognized_keys', 'unrecognized_keys']);
  });

  it('validates a plugin slice with the plugin schema', () => {
    const schema = composeConfigSchema({ plugins: { hello } });
    expect(schema.safeParse({ plugins: { hello: { greeting: '' } } }).success).toBe(true);
    expect(schema.safeParse({ plugins: { hello: { greeting: 3 } } }).success).toBe(false);
  });
});
