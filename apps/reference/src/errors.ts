import { TrellisError } from '@trellis/core';

/** Every error code the reference app raises; each is documented in `docs/errors.md`. */
export const REFERENCE_ERROR_CODES = ['HTTP_ROUTE_CONFLICT', 'ADMIN_NO_PLUGIN_STORE'] as const;

/** Two live routes claim the same method and URL. */
export class HttpRouteConflictError extends TrellisError {
  constructor(method: string, url: string) {
    super('HTTP_ROUTE_CONFLICT', `${method} ${url} is already served by another route.`, {
      fix: 'Give the route another path, or dispose the existing route first.',
      details: { method, url },
    });
  }
}

/** A deployment route was called on an app that runs a plugins folder, not a plugin store. */
export class AdminNoPluginStoreError extends TrellisError {
  constructor() {
    super('ADMIN_NO_PLUGIN_STORE', 'This app does not run its plugins from a plugin store.', {
      fix: 'Start the app with a plugin store (pnpm start does, from trellis.plugins.yaml); a plugins folder is changed on disk instead.',
    });
  }
}
