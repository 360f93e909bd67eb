import { PluginNotFoundError } from '../errors.js';

/**
 * The plugin called `name` among `plugins` (local views, admin summaries...).
 *
 * @throws {@link PluginNotFoundError} listing the known names, so a typo is easy to spot.
 * @example
 * ```ts
 * const { plugins } = await inspectLocalPlugins({ dir: 'plugins' });
 * const billing = pluginInfo(plugins, '@acme/billing');
 * ```
 */
export function pluginInfo<T extends { readonly name: string }>(plugins: readonly T[], name: string): T {
  const found = plugins.find((plugin) => plugin.name === name);
  if (found === undefined) {
    throw new PluginNotFoundError(
      name,
      plugins.map((plugin) => plugin.name),
    );
  }
  return found;
}
