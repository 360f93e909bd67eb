import { TrellisError } from '@trellis/core';

/** Every error code the reference app raises; each is documented in `docs/errors.md`. */
export const REFERENCE_ERROR_CODES = [
  'PLUGIN_CONFIG_INVALID',
  'PLUGIN_HOOK_FAILED',
  'HTTP_ROUTE_CONFLICT',
  'PLUGIN_HOST_STOPPING',
] as const;

/** A plugin's config slice does not match the schema it exports. */
export class PluginConfigInvalidError extends TrellisError {
  constructor(plugin: string, problems: readonly string[]) {
    super(
      'PLUGIN_CONFIG_INVALID',
      `Config for plugin "${plugin}" is invalid:\n  - ${problems.join('\n  - ')}`,
      {
        fix: `Correct plugins.${plugin} in your configuration to match the plugin's configSchema.`,
        details: { plugin, problems },
      },
    );
  }
}

/** Two live routes claim the same method and URL. */
export class HttpRouteConflictError extends TrellisError {
  constructor(method: string, url: string) {
    super('HTTP_ROUTE_CONFLICT', `${method} ${url} is already served by another route.`, {
      fix: 'Give the route another path, or dispose the existing route first.',
      details: { method, url },
    });
  }
}

/** A plugin's setup, start or stop hook threw. */
export class PluginHookError extends TrellisError {
  constructor(plugin: string, hook: string, cause: unknown) {
    super(
      'PLUGIN_HOOK_FAILED',
      `Plugin "${plugin}" failed in ${hook}(): ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
        fix: `See the cause; fix ${hook}() in plugin "${plugin}". Other plugins were not affected.`,
        details: { plugin, hook },
      },
    );
  }
}

/** A lazy activation or a reload tried to start a plugin while the host was stopping. */
export class PluginHostStoppingError extends TrellisError {
  constructor(plugin: string) {
    super('PLUGIN_HOST_STOPPING', `Not starting plugin "${plugin}": the plugin host is stopping.`, {
      fix: 'Nothing to fix: the platform is shutting down. Restart it to use the plugin again.',
      details: { plugin },
    });
  }
}
