import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { PluginContext } from '@trellis/core';
import { DEFAULT_SERVICE_PERMISSIONS } from '../permissions/permission-rules.js';
import { childBootstrap, lifecyclePackageRoot } from './bootstrap-path.js';
import { CRASH_MARKER } from './child/crash-marker.js';
import type { ChannelMessage, WireError } from './child/protocol.js';
import type { ChildEnd, ChildHandle } from './child-handle.js';
import { DependencyClosure } from './dependency-closure.js';
import { loadIsolatedPlugin } from './isolated-instance.js';
import { buildNodePermissionFlags } from './node-permission-flags.js';
import { readLines } from './output-lines.js';
import type { PluginInstance, PluginRuntime, RuntimePluginSpec } from './plugin-runtime.js';
import { ISOLATION_DEFAULTS, type IsolatedRuntimeOptions } from './worker-runtime.js';

/** Options of {@link ProcessRuntime}. */
export interface ProcessRuntimeOptions extends IsolatedRuntimeOptions {
  /** `--max-old-space-size` of each plugin process, in MB. Default 128. */
  readonly maxOldGenerationSizeMb?: number;
  /** Allow `eval` / `new Function` in every plugin, grant or not. Default false (`code:eval` grants it). */
  readonly allowCodeGeneration?: boolean;
  /** How long `dispose()` waits after SIGTERM before SIGKILL. Default 1,000 ms. */
  readonly killGraceMs?: number;
  /**
   * Keep a spare process per plugin for every plugin, as if each spec asked for
   * {@link RuntimePluginSpec.warmStandby}. Default false: a spare costs an idle Node process
   * (about 45 MB), so it is usually asked for per plugin, through the manager's plugin policy.
   */
  readonly warmStandby?: boolean;
}

/** An idle child forked ahead of need for one plugin, with the flags it was forked with. */
interface Standby {
  readonly child: ChildProcess;
  /** Folder and flags: a spare is only good for a load with exactly these. */
  readonly key: string;
}

/** Environment variables a plugin process inherits from the host, besides `TRELLIS_PLUGIN`. */
const INHERITED_ENV = ['PATH', 'NODE_ENV', 'TZ', 'LANG'] as const;
const STDERR_TAIL_LINES = 20;

/**
 * Runs each plugin in its own child process under Node's permission model: it may read only its
 * folder, its runtime dependencies and the bootstrap, plus what its `fs:` grants add; child
 * processes, workers, addons, WASI, the inspector and `eval` each need a grant (see
 * {@link buildNodePermissionFlags}). The child gets a minimal environment (PATH, NODE_ENV, TZ,
 * LANG, `TRELLIS_PLUGIN=<name>`), never the host's secrets or NODE_OPTIONS. Node 24's permission
 * model does not restrict the network or environment variables, so those are not sandboxed.
 * Exit semantics match {@link WorkerRuntime}: crash, hang (missed heartbeats), oom and exit.
 * The plugin's stdout and stderr lines go to its logger (info and warn).
 */
export class ProcessRuntime implements PluginRuntime {
  readonly kind = 'process' as const;
  readonly #options: ProcessRuntimeOptions;
  readonly #closure = new DependencyClosure();
  readonly #standbys = new Map<string, Standby>();
  #disposed = false;

  constructor(options: ProcessRuntimeOptions = {}) {
    this.#options = options;
  }

  async load(spec: RuntimePluginSpec, context: PluginContext): Promise<PluginInstance> {
    const o = this.#options;
    const name = spec.manifest.name;
    const bootstrap = childBootstrap(name, 'process', 'process-main.js');
    const maxOldGenerationSizeMb = o.maxOldGenerationSizeMb ?? ISOLATION_DEFAULTS.maxOldGenerationSizeMb;
    const flags = buildNodePermissionFlags({
      pluginDir: spec.dir,
      // The bootstrap's folder, and the one shared file it imports from outside it.
      runtimeReadPaths: [
        dirname(bootstrap),
        join(lifecyclePackageRoot(), 'dist', 'permissions', 'permission-rules.js'),
      ],
      // Its own data folder needs no grant: the host gave it to the plugin.
      granted:
        spec.dataDir === undefined
          ? spec.granted
          : [...spec.granted, `fs:read:${spec.dataDir}`, `fs:write:${spec.dataDir}`],
      maxOldGenerationSizeMb,
      allowCodeGeneration: o.allowCodeGeneration === true,
      closure: this.#closure,
    });
    if (flags.missingDependencies.length > 0) {
      context.logger.warn(
        { missing: flags.missingDependencies },
        'Some dependencies of the plugin are not installed; importing them will fail',
      );
    }
    const execArgv = [...flags.execArgv];
    const key = `${spec.dir}\0${execArgv.join('\0')}`;
    const child = this.#takeStandby(name, key) ?? forkPlugin(bootstrap, execArgv, name, spec.dir);
    const handle = processHandle(child, {
      killGraceMs: o.killGraceMs ?? 1_000,
      maxOldGenerationSizeMb,
      onOutput: (stream, line) =>
        stream === 'stdout' ? context.logger.info({ stream }, line) : context.logger.warn({ stream }, line),
    });
    const instance = await loadIsolatedPlugin({
      spec,
      context,
      handle,
      rules: o.permissionRules ?? DEFAULT_SERVICE_PERMISSIONS,
      heartbeatIntervalMs: o.heartbeatIntervalMs ?? ISOLATION_DEFAULTS.heartbeatIntervalMs,
      heartbeatTimeoutMs: o.heartbeatTimeoutMs ?? ISOLATION_DEFAULTS.heartbeatTimeoutMs,
      loadTimeoutMs: o.loadTimeoutMs ?? ISOLATION_DEFAULTS.loadTimeoutMs,
      callTimeoutMs: o.callTimeoutMs ?? ISOLATION_DEFAULTS.callTimeoutMs,
    });
    // Forked once the plugin is loaded, not alongside: on a small machine the spare's start would
    // compete for the CPU with the load it is meant to speed up.
    if ((spec.warmStandby ?? o.warmStandby) === true && !this.#disposed && !this.#standbys.has(name)) {
      this.#keepStandby(name, key, forkPlugin(bootstrap, execArgv, name, spec.dir));
    }
    return instance;
  }

  /** Process id of the idle spare kept for `plugin`, when one is ready (tests and diagnostics). */
  standbyPid(plugin: string): number | undefined {
    return this.#standbys.get(plugin)?.child.pid;
  }

  /** Ends the spare kept for `plugin`, if any (the plugin was stopped for good or uninstalled). */
  async release(plugin: string): Promise<void> {
    const standby = this.#standbys.get(plugin);
    this.#standbys.delete(plugin);
    if (standby !== undefined) await endChild(standby.child);
  }

  /** Ends every spare; later loads fork on demand and keep no spares. Idempotent. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const standbys = [...this.#standbys.values()];
    this.#standbys.clear();
    await Promise.all(standbys.map((standby) => endChild(standby.child)));
  }

  #takeStandby(plugin: string, key: string): ChildProcess | undefined {
    const standby = this.#standbys.get(plugin);
    if (standby === undefined) return undefined;
    this.#standbys.delete(plugin);
    const alive =
      standby.child.exitCode === null && standby.child.signalCode === null && standby.child.connected;
    // A spare forked for another folder or other grants (an upgrade, a policy change) is no good.
    if (!alive || standby.key !== key) {
      void endChild(standby.child);
      return undefined;
    }
    setReferenced(standby.child, true);
    return standby.child;
  }

  #keepStandby(plugin: string, key: string, child: ChildProcess): void {
    // An idle spare must never hold the host open; one that dies is simply not used.
    setReferenced(child, false);
    child.on('error', () => undefined);
    child.once('exit', () => {
      if (this.#standbys.get(plugin)?.child === child) this.#standbys.delete(plugin);
    });
    this.#standbys.set(plugin, { child, key });
  }
}

function forkPlugin(bootstrap: string, execArgv: string[], plugin: string, dir: string): ChildProcess {
  // The bootstrap waits for its `load` message, so a fork made ahead of need sits idle until then.
  return fork(bootstrap, [], {
    execArgv,
    env: childEnv(plugin),
    cwd: dir,
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
}

function setReferenced(child: ChildProcess, referenced: boolean): void {
  const handles = [child, child.channel, child.stdout, child.stderr] as (
    | { ref?(): void; unref?(): void }
    | null
    | undefined
  )[];
  for (const handle of handles) {
    if (referenced) handle?.ref?.();
    else handle?.unref?.();
  }
}

async function endChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A spare is unref'd; waiting for its exit must hold the process open, or Node may exit first
  // with this promise unsettled (a dispose as the last thing a program does).
  setReferenced(child, true);
  child.kill('SIGKILL');
  await exited;
}

function childEnv(plugin: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { TRELLIS_PLUGIN: plugin };
  for (const key of INHERITED_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

interface ProcessHandleOptions {
  readonly killGraceMs: number;
  readonly maxOldGenerationSizeMb: number;
  onOutput(stream: 'stdout' | 'stderr', line: string): void;
}

function processHandle(child: ChildProcess, options: ProcessHandleOptions): ChildHandle {
  const tail: string[] = [];
  let crash: WireError | undefined;
  let outOfMemory = false;
  let failure: Error | undefined;
  let terminated = false;
  let gone = false;
  readLines(child.stdout, (line) => options.onOutput('stdout', line));
  readLines(child.stderr, (line) => {
    if (line.startsWith(CRASH_MARKER)) {
      crash = parseCrash(line.slice(CRASH_MARKER.length));
      return;
    }
    if (/heap out of memory/i.test(line)) outOfMemory = true;
    tail.push(line);
    if (tail.length > STDERR_TAIL_LINES) tail.shift();
    options.onOutput('stderr', line);
  });
  // Spawn failures, and sends racing the child's death, arrive here; the end event says the rest.
  child.on('error', (error) => {
    failure ??= error;
  });
  // `close` comes after stdio has been read to the end (so a crash line or an OOM report is
  // seen); `exit` is the fallback when a grandchild holds the pipes open.
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('exit', (code, signal) => setTimeout(() => resolve({ code, signal }), 500).unref());
  });
  ended.then(() => {
    gone = true;
  });

  const classify = ({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }): ChildEnd => {
    const codeField = code === null ? {} : { code };
    if (crash !== undefined)
      return { reason: 'crash', ...codeField, detail: `${crash.name}: ${crash.message}` };
    if (outOfMemory) {
      return {
        reason: 'oom',
        ...codeField,
        detail: `JavaScript heap out of memory (--max-old-space-size=${options.maxOldGenerationSizeMb})`,
      };
    }
    if (terminated)
      return { reason: 'killed', ...codeField, detail: `terminated by the host (${signal ?? code})` };
    if (failure !== undefined && child.pid === undefined) {
      return { reason: 'crash', detail: `the process could not be started: ${failure.message}` };
    }
    if (signal !== null) return { reason: 'killed', detail: `killed by ${signal}${stderrTail(tail)}` };
    return {
      reason: 'exit',
      ...codeField,
      detail: `the process exited with code ${code}${stderrTail(tail)}`,
    };
  };

  return {
    kind: 'process',
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    send(message: ChannelMessage) {
      if (!gone && child.connected) child.send(message);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onEnd(listener) {
      ended.then((end) => listener(classify(end)));
    },
    async terminate(hard = false) {
      terminated = true;
      if (!gone) {
        child.kill(hard ? 'SIGKILL' : 'SIGTERM');
        if (!hard) {
          const timer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs);
          await ended;
          clearTimeout(timer);
        }
      }
      await ended;
    },
  };
}

function parseCrash(json: string): WireError {
  try {
    const parsed = JSON.parse(json) as Partial<WireError>;
    return { name: String(parsed.name ?? 'Error'), message: String(parsed.message ?? 'unknown error') };
  } catch {
    return { name: 'Error', message: json };
  }
}

function stderrTail(lines: readonly string[]): string {
  const shown = lines.filter((line) => line.trim() !== '').slice(-5);
  return shown.length === 0 ? '' : `; stderr: ${shown.join(' | ')}`;
}
