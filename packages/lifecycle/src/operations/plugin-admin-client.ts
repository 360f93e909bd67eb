import { type PluginSummary, TrellisError } from '@trellis/core';
import { PluginAdminUnreachableError } from '../errors.js';
import type { PluginDetails } from '../manager/plugin-manager.js';
import type { PluginTransition } from '../state/plugin-state-machine.js';

/** One plugin as `GET /admin/plugins/:name` reports it: its summary plus what the host knows of it. */
export type AdminPluginDetails = PluginSummary &
  Partial<Omit<PluginDetails, keyof PluginSummary>> & {
    /** Its last state changes, oldest first. */
    readonly history?: readonly PluginTransition[];
  };

/** Options of {@link createPluginAdminClient}. */
export interface PluginAdminClientOptions {
  /** Base URL of the running app, e.g. `http://127.0.0.1:3000` (without `/admin`). */
  readonly url: string;
  /** The app's admin token, sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** The fetch to use; default the global one. */
  readonly fetch?: typeof fetch;
  /** How long one request may take, in ms; default 30 000 (a restart waits for plugin hooks). */
  readonly timeoutMs?: number;
}

/** Drives the plugins of a running app through its admin HTTP API. */
export interface PluginAdminClient {
  /** Every plugin of the app, in start order. */
  list(): Promise<readonly PluginSummary[]>;
  /** One plugin with its details; rejects with `PLUGIN_NOT_FOUND` when the app does not know it. */
  get(name: string): Promise<AdminPluginDetails>;
  /** Starts a plugin (its dependencies first). */
  start(name: string): Promise<PluginSummary>;
  /** Stops a plugin, and first every active plugin that depends on it. */
  stop(name: string): Promise<PluginSummary>;
  /** Stops and starts a plugin again, by default with its dependents. */
  restart(name: string, options?: { readonly withDependents?: boolean }): Promise<PluginSummary>;
  /**
   * Runs a plugin store deployment in the app: `install` (body `{ source }`), `upgrade` /
   * `downgrade` (`{ source?, version? }`), `rollback`, `uninstall`, `enable`, `disable`. Sources
   * are paths on the app's machine; give them absolute.
   */
  deploy(
    operation: 'install' | 'upgrade' | 'downgrade' | 'rollback' | 'uninstall' | 'enable' | 'disable',
    name: string | undefined,
    body?: Readonly<Record<string, unknown>>,
  ): Promise<Readonly<Record<string, unknown>>>;
  /** `plan` or `apply` a `trellis.plugins.yaml` (a path on the app's machine) in the app. */
  desiredState(verb: 'plan' | 'apply', file: string): Promise<Readonly<Record<string, unknown>>>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A client for the reference app's admin API (`GET /admin/plugins`, `GET /admin/plugins/:name`,
 * `POST /admin/plugins/:name/start|stop|restart`), as `trellis plugins … --url` uses it.
 *
 * An error the app answers (`{ error: { code, message, fix } }`) rejects as a {@link TrellisError}
 * with the app's code, so callers branch on `PLUGIN_NOT_FOUND`, `PLUGIN_HOOK_VETOED`... as if they
 * had called the plugin manager themselves. No answer, or an answer that is not the admin API's,
 * rejects with {@link PluginAdminUnreachableError}.
 *
 * @example
 * ```ts
 * const admin = createPluginAdminClient({ url: 'http://127.0.0.1:3000', token: process.env.TRELLIS_ADMIN_TOKEN });
 * await admin.restart('@acme/billing', { withDependents: false });
 * ```
 */
export function createPluginAdminClient(options: PluginAdminClientOptions): PluginAdminClient {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pluginPath = (name: string) => `/admin/plugins/${encodeURIComponent(name)}`;

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    // Only a request with a body says it is JSON: servers reject an empty body declared as JSON.
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new PluginAdminUnreachableError(base, networkProblem(error, timeoutMs), error);
    }
    const json = parseJson(text);
    if (response.ok && json !== undefined) return json;
    const error = (json as { error?: { code?: unknown; message?: unknown; fix?: unknown } } | undefined)
      ?.error;
    if (!response.ok && typeof error?.code === 'string' && typeof error.message === 'string') {
      const fix = typeof error.fix === 'string' ? error.fix : undefined;
      throw new TrellisError(error.code, withoutFix(error.message, fix), {
        ...(fix === undefined ? {} : { fix }),
        details: { url: `${base}${path}`, status: response.status },
      });
    }
    throw new PluginAdminUnreachableError(
      base,
      `${method} ${path} answered HTTP ${response.status} without the admin API's JSON (is it the app's base URL?)`,
    );
  };

  const summary = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const result = await call(method, path, body);
    if (typeof (result as { name?: unknown } | null)?.name !== 'string') {
      throw new PluginAdminUnreachableError(base, `${method} ${path} answered without a plugin`);
    }
    return result as AdminPluginDetails;
  };

  return {
    async list() {
      const result = (await call('GET', '/admin/plugins')) as { plugins?: unknown } | null;
      if (!Array.isArray(result?.plugins)) {
        throw new PluginAdminUnreachableError(base, 'GET /admin/plugins answered without a plugins list');
      }
      return result?.plugins as PluginSummary[];
    },
    get: (name) => summary('GET', pluginPath(name)),
    start: (name) => summary('POST', `${pluginPath(name)}/start`),
    stop: (name) => summary('POST', `${pluginPath(name)}/stop`),
    restart: (name, restartOptions = {}) =>
      summary('POST', `${pluginPath(name)}/restart`, { withDependents: restartOptions.withDependents }),
    async deploy(operation, name, body = {}) {
      const path =
        operation === 'install' ? '/admin/plugins/install' : `${pluginPath(name ?? '')}/${operation}`;
      return (await call('POST', path, body)) as Record<string, unknown>;
    },
    async desiredState(verb, file) {
      return (await call('POST', `/admin/deployments/${verb}`, { file })) as Record<string, unknown>;
    },
  };
}

function networkProblem(error: unknown, timeoutMs: number): string {
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError')
    return `no answer within ${timeoutMs} ms`;
  // fetch reports "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND...) on its cause.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const reason = typeof cause?.code === 'string' ? cause.code : cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return typeof reason === 'string' && reason !== '' ? `${message} (${reason})` : message;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The app sends `TrellisError.message`, which already ends with the fix; keep it once. */
function withoutFix(message: string, fix: string | undefined): string {
  if (fix === undefined) return message;
  for (const separator of [' ', '\n']) {
    const suffix = `${separator}Fix: ${fix}`;
    if (message.endsWith(suffix)) return message.slice(0, -suffix.length);
  }
  return message;
}
