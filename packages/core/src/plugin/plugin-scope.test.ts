import { describe, expect, it } from '@jest/globals';
import { currentPluginScope, runInPluginScope } from './plugin-scope.js';

describe('plugin scope', () => {
  it('names the plugin inside, and nothing outside', () => {
    expect(currentPluginScope()).toBeUndefined();
    expect(runInPluginScope('billing', () => currentPluginScope())).toBe('billing');
    expect(currentPluginScope()).toBeUndefined();
  });

  it('follows the plugin into callbacks it schedules', async () => {
    const seen = await runInPluginScope(
      'billing',
      () => new Promise<string | undefined>((resolve) => setTimeout(() => resolve(currentPluginScope()), 1)),
    );
    expect(seen).toBe('billing');
  });

  it('nests: the innermost plugin wins', () => {
    expect(runInPluginScope('a', () => runInPluginScope('b', () => currentPluginScope()))).toBe('b');
  });
});
