/**
 * The plugin-side twin of the host's `PluginPermissionDeniedError` (same code, message, fix and
 * details), as a plain Error because this side cannot import `@trellis/core`. The host rebuilds it
 * as the real class.
 */
export function permissionDenied(plugin: string, service: string, permission: string): Error {
  const fix = `Add "${permission}" to "permissions" in the plugin's manifest, and make sure the host's permission policy grants it.`;
  const error = new Error(
    `Plugin "${plugin}" may not use ${service}: it needs the permission "${permission}", which it was not granted. Fix: ${fix}`,
  ) as Error & Record<string, unknown>;
  error.name = 'PluginPermissionDeniedError';
  error.code = 'PLUGIN_PERMISSION_DENIED';
  error.fix = fix;
  error.details = { plugin, service, permission };
  return error;
}
