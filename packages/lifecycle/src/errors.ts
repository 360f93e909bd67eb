import { TrellisError } from '@trellis/core';

/** Every error code `@trellis/lifecycle` raises; each is documented in `docs/errors.md`. */
export const LIFECYCLE_ERROR_CODES = [
  'PLUGIN_ILLEGAL_TRANSITION',
  'PLUGIN_HOOK_VETOED',
  'PLUGIN_HOOK_TIMEOUT',
  'PLUGIN_HOOK_FAILED',
  'PLUGIN_PERMISSION_DENIED',
  'PLUGIN_NOT_FOUND',
  'PLUGIN_RUNTIME_EXITED',
  'PLUGIN_RUNTIME_CALL_TIMEOUT',
  'PLUGIN_RUNTIME_START_FAILED',
  'PLUGIN_BOOT_ABORTED',
  'PLUGIN_MANAGER_STATE',
  'PLUGIN_MANAGER_OPTIONS_INVALID',
  'PLUGIN_CONFIG_INVALID',
  'PLUGIN_HOOK_OPTIONS_INVALID',
  'PLUGIN_ADMIN_UNREACHABLE',
] as const;

/** A code from {@link LIFECYCLE_ERROR_CODES}. */
export type LifecycleErrorCode = (typeof LIFECYCLE_ERROR_CODES)[number];

/** A state change the plugin state machine does not allow, e.g. `stopped → active`. */
export class IllegalTransitionError extends TrellisError {
  constructor(plugin: string, from: string, to: string, allowed: readonly string[]) {
    super('PLUGIN_ILLEGAL_TRANSITION', `Plugin "${plugin}" cannot go from "${from}" to "${to}".`, {
      fix:
        allowed.length > 0
          ? `From "${from}" a plugin may go to: ${allowed.join(', ')}. Check the plugin's state before acting on it.`
          : `"${from}" is final; install the plugin again to use it.`,
      details: { plugin, from, to, allowed },
    });
  }
}

/** A `before*` hook refused an operation; `reason` is the hook's own words. */
export class HookVetoedError extends TrellisError {
  constructor(hook: string, plugin: string, reason: string, by?: string) {
    super(
      'PLUGIN_HOOK_VETOED',
      `${hook} for plugin "${plugin}" was vetoed${by ? ` by ${by}` : ''}: ${reason}`,
      {
        fix: 'Resolve what the hook objects to, or remove the hook, then try again.',
        details: { hook, plugin, reason, ...(by ? { by } : {}) },
      },
    );
  }
}

/** A plugin's `setup`, `start`, `stop` or `health` did not settle within its deadline. */
export class PluginHookTimeoutError extends TrellisError {
  constructor(plugin: string, hook: string, timeoutMs: number) {
    super('PLUGIN_HOOK_TIMEOUT', `Plugin "${plugin}" did not finish ${hook} within ${timeoutMs} ms.`, {
      fix: `Make ${hook} finish sooner (move long work into the background, honour ctx.signal), or raise its deadline with the "timeouts" option for this plugin.`,
      details: { plugin, hook, timeoutMs },
    });
  }
}

/** A plugin's hook threw or rejected; the original error is the `cause`. */
export class PluginHookFailedError extends TrellisError {
  constructor(plugin: string, hook: string, cause: unknown, message: string) {
    super('PLUGIN_HOOK_FAILED', `Plugin "${plugin}" failed in ${hook}: ${message}`, {
      fix: `Fix the error in the plugin's ${hook} hook; the cause holds the original error and stack.`,
      details: { plugin, hook },
      cause,
    });
  }
}

/** A plugin resolved a service its granted permissions do not cover. */
export class PluginPermissionDeniedError extends TrellisError {
  constructor(plugin: string, service: string, permission: string) {
    super(
      'PLUGIN_PERMISSION_DENIED',
      `Plugin "${plugin}" may not use ${service}: it needs the permission "${permission}", which it was not granted.`,
      {
        fix: `Add "${permission}" to "permissions" in the plugin's manifest, and make sure the host's permission policy grants it.`,
        details: { plugin, service, permission },
      },
    );
  }
}

/** An operation named a plugin the manager does not know. */
export class PluginNotFoundError extends TrellisError {
  constructor(plugin: string, known: readonly string[]) {
    const hint =
      known.length > 0
        ? ` Known plugins: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}.`
        : '';
    super('PLUGIN_NOT_FOUND', `No plugin named "${plugin}".${hint}`, {
      fix: 'Check the name (scoped names include the scope, e.g. "@acme/billing"); `trellis plugins list` shows every plugin.',
      details: { plugin },
    });
  }
}

/** Why an isolated plugin's worker or process ended without being asked to. */
export type RuntimeExitReason = 'crash' | 'hang' | 'oom' | 'exit' | 'killed';

/** An isolated plugin's worker or process died: a crash, a hang, out of memory, or `process.exit()`. */
export class PluginRuntimeExitedError extends TrellisError {
  readonly reason: RuntimeExitReason;

  constructor(plugin: string, runtime: string, reason: RuntimeExitReason, detail: string) {
    const what: Record<RuntimeExitReason, string> = {
      crash: 'crashed',
      hang: 'stopped answering heartbeats (a blocked event loop) and was killed',
      oom: 'ran out of memory and was killed',
      exit: 'exited on its own',
      killed: 'was killed',
    };
    super('PLUGIN_RUNTIME_EXITED', `Plugin "${plugin}" ${runtime} ${what[reason]}: ${detail}`, {
      fix:
        reason === 'oom'
          ? 'Find the leak or raise the memory limit (`resources.maxOldGenerationSizeMb`) for this plugin.'
          : reason === 'hang'
            ? 'Find the synchronous loop in the plugin; long CPU work must yield to the event loop.'
            : 'Read the detail and the plugin log; restart the plugin once fixed.',
      details: { plugin, runtime, reason, detail },
    });
    this.reason = reason;
  }
}

/** A call into an isolated plugin got no answer in time. */
export class RuntimeCallTimeoutError extends TrellisError {
  constructor(plugin: string, call: string, timeoutMs: number) {
    super(
      'PLUGIN_RUNTIME_CALL_TIMEOUT',
      `Plugin "${plugin}" did not answer ${call} within ${timeoutMs} ms.`,
      {
        fix: 'Make the call finish sooner, or raise the call timeout for this plugin.',
        details: { plugin, call, timeoutMs },
      },
    );
  }
}

/** An isolated plugin's worker or process could not be started or could not load the plugin. */
export class RuntimeStartError extends TrellisError {
  constructor(plugin: string, runtime: string, message: string, cause?: unknown) {
    super('PLUGIN_RUNTIME_START_FAILED', `Plugin "${plugin}" could not start in its ${runtime}: ${message}`, {
      fix: 'Read the message: a missing entry file, an import the sandbox forbids (grant it with "fs:read:<path>"), or a config error.',
      details: { plugin, runtime },
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/** Boot stopped because a plugin whose policy is `abort` failed. */
export class BootAbortedError extends TrellisError {
  constructor(plugin: string, cause: unknown, message: string) {
    super(
      'PLUGIN_BOOT_ABORTED',
      `Boot aborted: plugin "${plugin}" failed and its failure policy is "abort": ${message}`,
      {
        fix: `Fix plugin "${plugin}", or set its failure policy to "continue" to boot without it.`,
        details: { plugin },
        cause,
      },
    );
  }
}

/** The manager was asked for something its own state does not allow (e.g. start after stop). */
export class PluginManagerStateError extends TrellisError {
  constructor(action: string, state: string) {
    const booting = state === 'idle' || state === 'booting' || state.startsWith('not ');
    super('PLUGIN_MANAGER_STATE', `Cannot ${action}: the plugin manager is ${state}.`, {
      fix: booting
        ? 'Wait until the plugins have booted (the platform has started), then try again.'
        : 'Create a new manager to boot again; a stopped manager stays stopped.',
      details: { action, state },
    });
  }
}

/** The options given to the plugin manager are invalid; every problem is listed. */
export class PluginManagerOptionsInvalidError extends TrellisError {
  constructor(problems: readonly string[]) {
    super(
      'PLUGIN_MANAGER_OPTIONS_INVALID',
      `Invalid plugin manager options:\n  - ${problems.join('\n  - ')}`,
      {
        fix: 'Correct each listed option.',
        details: { problems },
      },
    );
  }
}

/** A lifecycle hook was registered (or the hooks created) with an option that cannot work. */
export class HookOptionsInvalidError extends TrellisError {
  constructor(option: string, value: unknown, expected: string) {
    super('PLUGIN_HOOK_OPTIONS_INVALID', `Invalid lifecycle hook option "${option}": ${String(value)}.`, {
      fix: `Pass ${expected}.`,
      details: { option, value, expected },
    });
  }
}

/** A plugin's config slice failed its `configSchema`; every problem is listed with its path. */
export class PluginConfigInvalidError extends TrellisError {
  constructor(plugin: string, problems: readonly string[]) {
    super('PLUGIN_CONFIG_INVALID', `Invalid config for plugin "${plugin}":\n  - ${problems.join('\n  - ')}`, {
      fix: `Correct each listed value under "plugins.${plugin}" in your config (or the TRELLIS_PLUGINS__… environment variables).`,
      details: { plugin, problems },
    });
  }
}

/** A running app's plugin admin API could not be reached, or answered with something else than that API. */
export class PluginAdminUnreachableError extends TrellisError {
  constructor(url: string, problem: string, cause?: unknown) {
    super('PLUGIN_ADMIN_UNREACHABLE', `The plugin admin API at ${url} cannot be used: ${problem}.`, {
      cause,
      fix: 'Check --url (or TRELLIS_ADMIN_URL): the base URL of the running app, e.g. http://127.0.0.1:3000, without /admin; and check that the app is running.',
      details: { url },
    });
  }
}
