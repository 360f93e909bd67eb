// Operations that return data: `trellis plugins …` and the reference app's admin API both call
// them, so the two never disagree.
export type {
  InspectLocalPluginsOptions,
  LocalPluginsReport,
  LocalPluginView,
  PluginDependencyView,
} from './inspect-local-plugins.js';
export { inspectLocalPlugins } from './inspect-local-plugins.js';
export type {
  AdminPluginDetails,
  PluginAdminClient,
  PluginAdminClientOptions,
} from './plugin-admin-client.js';
export { createPluginAdminClient } from './plugin-admin-client.js';
export { pluginInfo } from './plugin-info.js';
export type { PluginGraphFormat, PluginGraphNode } from './render-plugin-graph.js';
export { PLUGIN_GRAPH_FORMATS, renderPluginGraph } from './render-plugin-graph.js';
