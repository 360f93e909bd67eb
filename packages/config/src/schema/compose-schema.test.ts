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
    const slice = value.plugins.hello;
    const greeting: string | undefined = 'greeting' in slice ? slice.greeting : undefined;
    expect(greeting).toBe('Hello');
  });

  it('rejects unknown top-level sections and unknown plugins', () => {
    const schema = composeConfigSchema({ modules: {}, plugins: { hello } });
    const result = schema.safeParse({ nope: 1, plugins: { ghost: {} } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.code)).toEqual(['unrecognized_keys', 'unrecognized_keys']);
  });

  it('validates a plugin slice with the plugin schema', () => {
    const schema = composeConfigSchema({ plugins: { hello }, isolatePlugins: false });
    expect(schema.safeParse({ plugins: { hello: { greeting: '' } } }).success).toBe(true);
    expect(schema.safeParse({ plugins: { hello: { greeting: 3 } } }).success).toBe(false);
  });
});

describe('composeConfigSchema with isolated plugin slices (the default)', () => {
  it('turns an invalid plugin slice into an InvalidConfigSection and keeps the rest valid', async () => {
    const { InvalidConfigSection } = await import('./invalid-config-section.js');
    const other = z.object({ size: z.number().default(1) }).strict();
    const schema = composeConfigSchema({ plugins: { hello, other } });
    const value = schema.parse({ plugins: { hello: { greeting: 3, extra: true }, other: { size: 2 } } });
    expect(value.plugins.other).toEqual({ size: 2 });
    expect(value.plugins.hello).toBeInstanceOf(InvalidConfigSection);
    expect(value.plugins.hello).toMatchObject({
      path: 'plugins.hello',
      problems: [
        { path: 'plugins.hello.greeting', message: expect.stringContaining('expected string') },
        { path: 'plugins.hello', message: 'unknown setting(s) extra' },
      ],
    });
  });

  it('lets the schema walker see inside an isolated slice (for env mapping and secrets)', async () => {
    const { describeSchema, schemaAt } = await import('./schema-walk.js');
    const schema = composeConfigSchema({ plugins: { hello } });
    const greeting = schemaAt(schema, 'plugins.hello.greeting');
    expect(greeting && describeSchema(greeting).kind).toBe('string');
  });
});
