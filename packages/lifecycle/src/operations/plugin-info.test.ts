import { describe, expect, it } from '@jest/globals';
import { PluginNotFoundError } from '../errors.js';
import { pluginInfo } from './plugin-info.js';

const plugins = [
  { name: 'a', version: '1.0.0' },
  { name: '@acme/billing', version: '2.0.0' },
];

describe('pluginInfo', () => {
  it('returns the plugin with that name', () => {
    expect(pluginInfo(plugins, '@acme/billing')).toBe(plugins[1]);
  });

  it('throws PLUGIN_NOT_FOUND listing the known names', () => {
    const error = (() => {
      try {
        return pluginInfo(plugins, 'billing');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(PluginNotFoundError);
    expect(error).toMatchObject({ code: 'PLUGIN_NOT_FOUND', details: { plugin: 'billing' } });
    expect((error as Error).message).toContain('Known plugins: a, @acme/billing.');
  });
});
