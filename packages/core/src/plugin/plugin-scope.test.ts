import { describe, expect, it } from '@jest/globals';
import { currentPluginScope, observePluginScope, runInPluginScope } from './plugin-scope.js';

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

describe('observePluginScope', () => {
  it('tells observers about each synchronous entry, inside the scope, until disposed', () => {
    const seen: string[] = [];
    const observer = observePluginScope({
      enter: () => {
        seen.push(`enter ${currentPluginScope()}`);
        return seen.length;
      },
      exit: (previous) => void seen.push(`exit ${previous}`),
    });
    expect(() =>
      runInPluginScope('a', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    observer.dispose();
    runInPluginScope('b', () => undefined);
    expect(seen).toEqual(['enter a', 'exit 1']);
  });
});
