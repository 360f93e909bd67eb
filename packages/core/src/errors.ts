import { TrellisError } from './errors/trellis-error.js';
import { tokenName } from './token.js';

/** Every error code `@trellis/core` raises. Each is documented in `docs/errors.md`. */
export const CORE_ERROR_CODES = [
  'PLATFORM_OPTIONS_INVALID',
  'PLATFORM_STATE_INVALID',
  'PLATFORM_MODULE_INVALID',
  'PLATFORM_MODULE_DUPLICATE',
  'PLATFORM_PROVIDER_CONFLICT',
  'PLATFORM_DEPENDENCY_MISSING',
  'PLATFORM_MODULE_CYCLE',
  'PLATFORM_PROVIDER_NOT_REGISTERED',
  'PLATFORM_MODULE_START_FAILED',
  'SERVICE_NOT_REGISTERED',
  'DEADLINE_EXCEEDED',
  'PLUGIN_DEFINITION_INVALID',
  'CONFIG_VALUE_MISSING',
  'HEALTH_CHECK_DUPLICATE',
] as const;

/** A code from {@link CORE_ERROR_CODES}. */
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

/** `createPlatform` was given options that do not match its schema. */
export class PlatformOptionsInvalidError extends TrellisError {
  constructor(problems: readonly string[]) {
    super('PLATFORM_OPTIONS_INVALID', `Invalid createPlatform() options:\n  - ${problems.join('\n  - ')}`, {
      fix: 'Correct the listed options; see PlatformOptions in @trellis/core for each field.',
      details: { problems },
    });
  }
}

/** A platform method was called in a state that does not allow it (e.g. `use()` after `start()`). */
export class PlatformStateError extends TrellisError {
  constructor(action: string, state: string, fix: string) {
    super('PLATFORM_STATE_INVALID', `Cannot ${action}: the platform is ${state}.`, {
      fix,
      details: { action, state },
    });
  }
}

/** A value passed as a module does not have the module shape. */
export class ModuleInvalidError extends TrellisError {
  constructor(name: string, problem: string) {
    super('PLATFORM_MODULE_INVALID', `Module "${name}" is invalid: ${problem}.`, {
      fix: 'Build modules with defineModule({ name, register, ... }) so the shape is checked where they are defined.',
      details: { module: name, problem },
    });
  }
}

/** Two modules share one name. */
export class ModuleDuplicateError extends TrellisError {
  constructor(name: string) {
    super('PLATFORM_MODULE_DUPLICATE', `Two modules are named "${name}".`, {
      fix: `Register "${name}" once, or give one of them another name.`,
      details: { module: name },
    });
  }
}

/** Two modules declare that they provide the same token. */
export class ProviderConflictError extends TrellisError {
  constructor(token: symbol, first: string, second: string) {
    const name = tokenName(token);
    super('PLATFORM_PROVIDER_CONFLICT', `Modules "${first}" and "${second}" both provide ${name}.`, {
      fix: `Keep one provider of ${name}: remove one module, or drop ${name} from its "provides".`,
      details: { token: name, modules: [first, second] },
    });
  }
}

/** One unmet dependency inside a {@link DependencyMissingError}. */
export interface MissingDependency {
  /** The token's key, e.g. `@trellis/core.HttpRouter`. */
  readonly token: string;
  /** The module that declared the dependency. */
  readonly neededBy: string;
  /** Where a provider can be found. */
  readonly providedBy: string;
}

/** Modules depend on tokens that no registered module provides. */
export class DependencyMissingError extends TrellisError {
  /** Every unmet dependency, not only the first. */
  readonly missing: readonly MissingDependency[];

  constructor(missing: readonly MissingDependency[]) {
    const lines = missing.map((m) => `module "${m.neededBy}" needs ${m.token}, provided by ${m.providedBy}`);
    super('PLATFORM_DEPENDENCY_MISSING', `Missing dependencies:\n  - ${lines.join('\n  - ')}`, {
      fix: 'Add the providing modules to createPlatform({ modules }), or mark the dependency optional(token).',
      details: { missing },
    });
    this.missing = missing;
  }
}

/** Module dependencies form a cycle, so no start order exists. */
export class ModuleCycleError extends TrellisError {
  /** The cycle as module names, first repeated at the end: `['a', 'b', 'a']`. */
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[]) {
    super('PLATFORM_MODULE_CYCLE', `Modules depend on each other in a cycle: ${cycle.join(' → ')}.`, {
      fix: 'Break the cycle: move the shared service into its own module, or make one dependency optional(token).',
      details: { cycle },
    });
    this.cycle = cycle;
  }
}

/** A module declared that it provides a token but did not register it. */
export class ProviderNotRegisteredError extends TrellisError {
  constructor(moduleName: string, token: symbol) {
    const name = tokenName(token);
    super(
      'PLATFORM_PROVIDER_NOT_REGISTERED',
      `Module "${moduleName}" lists ${name} in "provides" but did not register it.`,
      {
        fix: `Register ${name} in the module's register(container), or remove it from "provides".`,
        details: { module: moduleName, token: name },
      },
    );
  }
}

/** A module's `register` or `start` threw, or its start timed out; the platform rolled back. */
export class ModuleStartError extends TrellisError {
  constructor(moduleName: string, phase: 'register' | 'start', cause: unknown) {
    super(
      'PLATFORM_MODULE_START_FAILED',
      `Module "${moduleName}" failed during ${phase}: ${String((cause as Error)?.message ?? cause)}`,
      {
        cause,
        fix: `See the cause; modules started before "${moduleName}" were stopped again, so fixing it and restarting is safe.`,
        details: { module: moduleName, phase },
      },
    );
  }
}

/** `resolve()` was asked for a token nothing registered. */
export class ServiceNotRegisteredError extends TrellisError {
  constructor(token: symbol, hint: string | undefined, cause?: unknown) {
    const name = tokenName(token);
    super('SERVICE_NOT_REGISTERED', `No service is registered for ${name}.`, {
      cause,
      fix: hint ? `Register a provider: ${hint}.` : `Register a module that lists ${name} in "provides".`,
      details: { token: name },
    });
  }
}

/** `definePlugin` was given something that is not a valid plugin definition. */
export class PluginDefinitionInvalidError extends TrellisError {
  constructor(problems: readonly string[]) {
    super('PLUGIN_DEFINITION_INVALID', `Invalid plugin definition:\n  - ${problems.join('\n  - ')}`, {
      fix: 'Pass definePlugin({ setup?, start?, stop?, health?, configSchema? }) where each hook is a function.',
      details: { problems },
    });
  }
}

/** A required configuration value is absent. */
export class ConfigValueMissingError extends TrellisError {
  constructor(path: string) {
    super('CONFIG_VALUE_MISSING', `Configuration value "${path}" is not set.`, {
      fix: `Set "${path}" in your config file or environment, or give it a default in the schema.`,
      details: { path },
    });
  }
}

/** A health check name is already registered. */
export class HealthCheckDuplicateError extends TrellisError {
  constructor(name: string) {
    super('HEALTH_CHECK_DUPLICATE', `A health check named "${name}" is already registered.`, {
      fix: 'Give each check a unique name, e.g. prefix it with your plugin or module name.',
      details: { check: name },
    });
  }
}
