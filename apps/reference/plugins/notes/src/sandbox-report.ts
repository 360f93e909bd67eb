/** What the plugin can and cannot do where it runs, as `GET /plugins/notes/sandbox` shows it. */
export interface SandboxReport {
  readonly pid: number;
  /** False when the process runs without Node's permission model (inline, worker). */
  readonly permissionModel: boolean;
  readonly canRead: Readonly<Record<string, boolean>>;
  readonly canSpawnProcesses: boolean;
  readonly canStartWorkers: boolean;
  /** Names of the environment variables the plugin sees (never their values). */
  readonly env: readonly string[];
}

interface PermissionApi {
  has(scope: string, reference?: string): boolean;
}

/**
 * Asks Node's permission model (`process.permission`, present under `--permission`) what this
 * process may do. Without the model every answer is `true`: nothing is restricted.
 */
export function sandboxReport(paths: readonly string[]): SandboxReport {
  const permission = (process as { permission?: PermissionApi }).permission;
  const has = (scope: string, reference?: string) => permission?.has(scope, reference) ?? true;
  return {
    pid: process.pid,
    permissionModel: permission !== undefined,
    canRead: Object.fromEntries(paths.map((path) => [path, has('fs.read', path)])),
    canSpawnProcesses: has('child'),
    canStartWorkers: has('worker'),
    env: Object.keys(process.env).sort(),
  };
}
