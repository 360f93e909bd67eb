export {
  HttpRouteConflictError,
  PluginConfigInvalidError,
  PluginHookError,
  PluginHostStoppingError,
  REFERENCE_ERROR_CODES,
} from './errors.js';
export type { UnmatchedRouteHook } from './http/fastify-http-router.js';
export { FastifyHttpRouter } from './http/fastify-http-router.js';
export { registerHealthRoutes } from './http/health-routes.js';
export { createHttpModule } from './http/http-module.js';
export type { HttpServerOptions } from './http/http-server-module.js';
export { createHttpServerModule } from './http/http-server-module.js';
export type { PluginHostOptions } from './plugins/plugin-host.js';
export { PluginHost } from './plugins/plugin-host.js';
export type { PluginHostModuleOptions } from './plugins/plugin-host-module.js';
export { createPluginHostModule } from './plugins/plugin-host-module.js';
export type { PluginState, PluginStatus, PluginTimings } from './plugins/plugin-status.js';
export { formatPluginTree } from './plugins/plugin-status.js';
export type { ReferenceApp, ReferenceAppOptions } from './reference-app.js';
export { startReferenceApp } from './reference-app.js';
export { PLUGIN_HOST } from './tokens.js';
