import { createToken } from '@trellis/core';
import type { PluginHost } from './plugins/plugin-host.js';

/** The reference app's plugin host: which plugins run and how their boot went. */
export const PLUGIN_HOST = createToken<PluginHost>('@trellis/reference.PluginHost');
