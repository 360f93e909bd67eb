import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { TrellisError } from '../errors/trellis-error.js';
import { PluginDefinitionInvalidError } from '../errors.js';
import { definePlugin, isPlugin, type PluginDefinition } from './define-plugin.js';

/** Calls definePlugin with a value its types reject, as plain JavaScript callers can. */
const defineUnchecked = (value: unknown) => definePlugin(value as PluginDefinition);

/** The error definePlugin throws for `value`. */
function problemsOf(value: unknown): TrellisError {
  try {
    defineUnchecked(value);
  } catch (error) {
    if (error instanceof TrellisError) return error;
    throw error;
  }
  throw new Error('definePlugin accepted the definition');
}

describe('definePlugin', () => {
  it('returns a plugin with the hooks it was given', () => {
    const setup = () => {};
    const start = async () => {};
    const plugin = definePlugin({ setup, start });
    expect(plugin.setup).toBe(setup);
    expect(plugin.start).toBe(start);
  });

  it('accepts an empty definition', () => {
    expect(isPlugin(definePlugin({}))).toBe(true);
  });

  it('accepts every hook', () => {
    const plugin = definePlugin({ setup() {}, start() {}, stop() {}, health: () => 'pass' });
    expect(typeof plugin.health).toBe('function');
  });

  it('returns a frozen object', () => {
    const plugin = definePlugin({ setup() {} });
    expect(Object.isFrozen(plugin)).toBe(true);
    expect(() => Object.assign(plugin, { start() {} })).toThrow(TypeError);
  });

  it('copies the definition, leaving the caller object unfrozen and unbranded', () => {
    const definition = { setup() {} };
    definePlugin(definition);
    expect(Object.isFrozen(definition)).toBe(false);
    expect(isPlugin(definition)).toBe(false);
  });

  it('accepts a real zod schema as configSchema', () => {
    const configSchema = z.object({ greeting: z.string().default('hello') });
    const plugin = definePlugin({ configSchema });
    expect(plugin.configSchema).toBe(configSchema);
    expect(plugin.configSchema?.parse({})).toEqual({ greeting: 'hello' });
  });

  it.each([
    ['a number', 5, 'number'],
    ['a string', 'start', 'string'],
    ['an object', {}, 'object'],
    ['null', null, 'object'],
  ])('rejects a hook that is %s with PLUGIN_DEFINITION_INVALID', (_label, value, type) => {
    const error = problemsOf({ start: value });
    expect(error).toBeInstanceOf(PluginDefinitionInvalidError);
    expect(error.code).toBe('PLUGIN_DEFINITION_INVALID');
    expect(error.message).toContain(`"start" must be a function, got ${type}`);
  });

  it('lists every problem, not only the first', () => {
    const error = problemsOf({
      setup: 1,
      start: 'x',
      stop: true,
      health: {},
      configSchema: { parse: () => 1 },
    });
    expect(error.details).toEqual({
      problems: [
        '"setup" must be a function, got number',
        '"start" must be a function, got string',
        '"stop" must be a function, got boolean',
        '"health" must be a function, got object',
        '"configSchema" must be a zod schema',
      ],
    });
  });

  it.each([
    ['a plain object', { type: 'object' }],
    ['null', null],
    ['a string', 'z.object()'],
  ])('rejects a configSchema that is %s', (_label, configSchema) => {
    expect(problemsOf({ configSchema }).details).toEqual({
      problems: ['"configSchema" must be a zod schema'],
    });
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a function', () => {}],
    ['a string', 'plugin'],
  ])('rejects %s as the definition', (_label, value) => {
    const error = problemsOf(value);
    expect(error.code).toBe('PLUGIN_DEFINITION_INVALID');
    expect(error.details).toEqual({ problems: ['the definition must be an object'] });
  });

  it('ignores hooks given as undefined', () => {
    expect(isPlugin(definePlugin({ setup: undefined }))).toBe(true);
  });
});

describe('isPlugin', () => {
  it('is true for the result of definePlugin', () => {
    expect(isPlugin(definePlugin({ start() {} }))).toBe(true);
  });

  it('is true for an object branded with the registered symbol, as another copy of core would make', () => {
    expect(isPlugin({ [Symbol.for('@trellis/core.Plugin')]: true })).toBe(true);
  });

  it('is false for a plain object with the same hooks', () => {
    expect(isPlugin({ setup() {}, start() {} })).toBe(false);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'plugin'],
    ['a function', () => {}],
  ])('is false for %s', (_label, value) => {
    expect(isPlugin(value)).toBe(false);
  });

  it('is false when the brand is not exactly true', () => {
    expect(isPlugin({ [Symbol.for('@trellis/core.Plugin')]: 'yes' })).toBe(false);
  });
});

describe('definePlugin config versions', () => {
  it('accepts a config version with its migration chain', () => {
    const plugin = definePlugin({
      configVersion: 2,
      configMigrations: [{ from: 1, to: 2, description: 'rename ttl', migrate: (doc) => ({ ...doc }) }],
    });
    expect(plugin.configVersion).toBe(2);
  });

  it('refuses a version that is not a positive integer and a step that goes nowhere', () => {
    expect(() => definePlugin({ configVersion: 0 })).toThrow('"configVersion" must be a positive integer');
    expect(() =>
      definePlugin({
        configVersion: 2,
        configMigrations: [{ from: 2, to: 1, description: 'back', migrate: (doc) => ({ ...doc }) }],
      }),
    ).toThrow('"configMigrations[0]"');
    expect(() => definePlugin({ configMigrations: 'x' as never })).toThrow(
      '"configMigrations" must be an array',
    );
  });
});
