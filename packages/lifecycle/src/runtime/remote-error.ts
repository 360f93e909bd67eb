import { PluginConfigInvalidError, PluginPermissionDeniedError } from '../errors.js';
import type { WireError } from './child/protocol.js';

/**
 * An error thrown on the other side of a worker or process boundary, rebuilt on the host with
 * the fields that crossed: `name`, `code` (when the original had one), `fix`, `details`, and the
 * original `stack`. It is not a TrellisError because plugin errors need not have a code; branch
 * on `error.code`.
 */
export class PluginRemoteError extends Error {
  /** The original error's code, e.g. `ERR_ACCESS_DENIED` or a Trellis code. */
  readonly code: string | undefined;
  /** How to fix it, when the original said. */
  readonly fix: string | undefined;
  /** The original error's structured details. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.code = wire.code;
    this.fix = wire.fix;
    this.details = wire.details ?? {};
    if (wire.stack !== undefined) this.stack = wire.stack;
  }
}

/**
 * The host-side form of an error from a plugin's worker or process. A permission denial or a
 * config error raised on the plugin side becomes the very {@link PluginPermissionDeniedError} or
 * {@link PluginConfigInvalidError} the host raises itself, so callers handle both alike; anything
 * else becomes a {@link PluginRemoteError}.
 */
export function rebuildRemoteError(wire: WireError): Error {
  const details = wire.details ?? {};
  if (
    wire.code === 'PLUGIN_CONFIG_INVALID' &&
    typeof details.plugin === 'string' &&
    isStrings(details.problems)
  ) {
    return new PluginConfigInvalidError(details.plugin, details.problems);
  }
  if (
    wire.code === 'PLUGIN_PERMISSION_DENIED' &&
    typeof details.plugin === 'string' &&
    typeof details.service === 'string' &&
    typeof details.permission === 'string'
  ) {
    return new PluginPermissionDeniedError(details.plugin, details.service, details.permission);
  }
  return new PluginRemoteError(wire);
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
