import type { DependencyContainer } from 'tsyringe';
import { ModuleInvalidError } from '../errors.js';
import type { Logger } from '../services/logger.js';
import type { Token } from '../token.js';

/** A dependency that may be absent: the module starts without it. */
export interface OptionalDependency {
  readonly token: Token<unknown>;
  readonly optional: true;
}

/** A token a module needs, required unless wrapped with {@link optional}. */
export type ModuleDependency = Token<unknown> | OptionalDependency;

/** Marks a dependency as optional: it orders start-up when present and is not required. */
export function optional(token: Token<unknown>): OptionalDependency {
  return { token, optional: true };
}

/** What a module's `start` and `stop` receive. */
export interface ModuleContext {
  /** The module's name. */
  readonly name: string;
  /** The platform's container. */
  readonly container: DependencyContainer;
  /** The platform logger with a `module` binding. */
  readonly logger: Logger;
  /** Aborts when the platform begins to stop; pass it to long-running work. */
  readonly signal: AbortSignal;
  /** Resolves a service by token. */
  resolve<T>(token: Token<T>): T;
}

/**
 * A unit that registers services into a platform: every Trellis package exports a
 * `createXModule(options)` returning one.
 */
export interface TrellisModule {
  /** Unique within a platform, e.g. `cache`. */
  readonly name: string;
  /** Tokens this module registers; the platform checks it really does. */
  readonly provides?: readonly Token<unknown>[];
  /** Tokens this module needs; the platform starts their providers first. */
  readonly dependsOn?: readonly ModuleDependency[];
  /** Registers providers; runs for every module before any module starts. */
  register(container: DependencyContainer): void;
  /** Starts work (connections, timers); runs in dependency order. */
  start?(context: ModuleContext): void | Promise<void>;
  /** Releases what `start` acquired; runs in reverse order. */
  stop?(context: ModuleContext): void | Promise<void>;
  /** Overrides the platform's `startTimeoutMs` for this module. */
  readonly startTimeoutMs?: number;
  /** Overrides the platform's `stopTimeoutMs` for this module. */
  readonly stopTimeoutMs?: number;
}

/**
 * Checks a module's shape where it is defined, so a mistake points at the module's own file.
 *
 * @example
 * ```ts
 * export const createGreeterModule = () =>
 *   defineModule({
 *     name: 'greeter',
 *     provides: [GREETER],
 *     dependsOn: [LOGGER],
 *     register: (c) => c.register(GREETER, { useClass: Greeter }),
 *   });
 * ```
 */
export function defineModule<M extends TrellisModule>(module: M): M {
  assertModule(module);
  return Object.freeze(module);
}

/** Throws {@link ModuleInvalidError} unless `value` has the {@link TrellisModule} shape. */
export function assertModule(value: unknown): asserts value is TrellisModule {
  const candidate = value as Partial<TrellisModule> | null | undefined;
  const name = typeof candidate?.name === 'string' ? candidate.name : String(candidate?.name);
  if (typeof candidate !== 'object' || candidate === null)
    throw new ModuleInvalidError(String(value), 'not an object');
  if (typeof candidate.name !== 'string' || candidate.name.length === 0) {
    throw new ModuleInvalidError(name, '"name" must be a non-empty string');
  }
  if (typeof candidate.register !== 'function')
    throw new ModuleInvalidError(name, '"register" must be a function');
  for (const hook of ['start', 'stop'] as const) {
    if (candidate[hook] !== undefined && typeof candidate[hook] !== 'function') {
      throw new ModuleInvalidError(name, `"${hook}" must be a function when given`);
    }
  }
  for (const field of ['provides', 'dependsOn'] as const) {
    const list = candidate[field];
    if (list !== undefined && !Array.isArray(list))
      throw new ModuleInvalidError(name, `"${field}" must be an array`);
  }
  for (const token of candidate.provides ?? []) {
    if (typeof token !== 'symbol')
      throw new ModuleInvalidError(name, '"provides" must hold tokens (symbols)');
  }
  for (const dependency of candidate.dependsOn ?? []) {
    if (typeof dependencyToken(dependency) !== 'symbol') {
      throw new ModuleInvalidError(name, '"dependsOn" must hold tokens or optional(token)');
    }
  }
}

/** The token of a dependency, optional or not. */
export function dependencyToken(dependency: ModuleDependency): Token<unknown> {
  return typeof dependency === 'symbol' ? dependency : dependency?.token;
}
