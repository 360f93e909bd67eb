import type { DependencyContainer } from '@trellis/core';
import { PluginPermissionDeniedError } from '../errors.js';
import {
  DEFAULT_SERVICE_PERMISSIONS,
  isGranted,
  requiredPermission,
  type ServicePermissionRules,
} from '../permissions/permission-rules.js';

/** Options of {@link createPermissionGatedContainer}. */
export interface PermissionGateOptions {
  /** The plugin the container belongs to, for error messages. */
  readonly plugin: string;
  /** Permissions the host granted the plugin. */
  readonly granted: readonly string[];
  /** Token key → permission; default {@link DEFAULT_SERVICE_PERMISSIONS}. */
  readonly rules?: ServicePermissionRules;
  /** Told about every refused resolve, e.g. to audit it. */
  readonly onDenied?: (service: string, permission: string) => void;
}

/** The parts of tsyringe's container class the gate hooks into (they are public at runtime). */
interface ContainerInternals {
  getRegistration(token: unknown): unknown;
  getAllRegistrations(token: unknown): unknown;
  isRegistered(token: unknown, recursive?: boolean): boolean;
  reset(): void;
}

/** The readable key of a tsyringe token: a token symbol's key, a string, or a class name. */
export function tokenKey(token: unknown): string {
  if (typeof token === 'symbol') return token.description ?? token.toString();
  if (typeof token === 'function') return token.name || '<anonymous class>';
  return String(token);
}

/**
 * A child of `parent` that only hands out the parent's services the plugin was granted.
 *
 * tsyringe children fall back to their parent's registrations without asking anyone, so the
 * gate replaces the child's registration lookup: a token registered in the child itself (or in
 * containers below it) resolves as usual; a token found only in an ancestor resolves when the
 * plugin holds the permission {@link requiredPermission} names, and otherwise throws
 * `PLUGIN_PERMISSION_DENIED` naming the token and the permission. `isRegistered` still tells the
 * truth, so a denied service reads as denied, not as missing.
 *
 * The gate stops mistakes and keeps what a plugin uses declared; it is not a sandbox for inline
 * code, which shares the host's memory. Run untrusted plugins with `isolation: "process"`.
 */
export function createPermissionGatedContainer(
  parent: DependencyContainer,
  options: PermissionGateOptions,
): DependencyContainer {
  const rules = options.rules ?? DEFAULT_SERVICE_PERMISSIONS;
  const child = parent.createChildContainer();
  const internals = child as unknown as ContainerInternals;
  const upstream = parent as unknown as ContainerInternals;
  // createChildContainer copies the parent's container-scoped registrations into the child;
  // dropping them sends every lookup of a parent service through the gate below.
  internals.reset();
  const decided = new Map<unknown, string | null>();

  const check = (token: unknown): void => {
    let permission = decided.get(token);
    if (permission === undefined) {
      const key = tokenKey(token);
      const needed = requiredPermission(key, rules);
      permission = needed === null || isGranted(needed, options.granted) ? null : needed;
      decided.set(token, permission);
    }
    if (permission !== null) {
      const key = tokenKey(token);
      options.onDenied?.(key, permission);
      throw new PluginPermissionDeniedError(options.plugin, key, permission);
    }
  };
  const own = (token: unknown) => internals.isRegistered(token, false);

  Object.assign(child, {
    getRegistration(token: unknown) {
      if (own(token)) return ContainerPrototype.getRegistration.call(child, token);
      const found = upstream.getRegistration(token);
      if (found) check(token);
      return found;
    },
    getAllRegistrations(token: unknown) {
      if (own(token)) return ContainerPrototype.getAllRegistrations.call(child, token);
      const found = upstream.getAllRegistrations(token);
      if (found) check(token);
      return found;
    },
  });
  return child;
}

/** tsyringe's container methods, to call the originals for the child's own registrations. */
const ContainerPrototype = {
  getRegistration(this: unknown, token: unknown): unknown {
    return (Object.getPrototypeOf(this) as ContainerInternals).getRegistration.call(this, token);
  },
  getAllRegistrations(this: unknown, token: unknown): unknown {
    return (Object.getPrototypeOf(this) as ContainerInternals).getAllRegistrations.call(this, token);
  },
};
