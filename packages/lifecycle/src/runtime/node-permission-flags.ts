import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isGranted } from '../permissions/permission-rules.js';
import { DependencyClosure } from './dependency-closure.js';

/** Input of {@link buildNodePermissionFlags}. */
export interface NodePermissionFlagsInput {
  /** The plugin folder. */
  readonly pluginDir: string;
  /** Files and folders the plugin-side bootstrap itself must read (its own folder...). */
  readonly runtimeReadPaths: readonly string[];
  /** The plugin's granted permissions. */
  readonly granted: readonly string[];
  /** `--max-old-space-size`, in MB; none when undefined. */
  readonly maxOldGenerationSizeMb?: number;
  /** Allow `eval` and `new Function` even without the `code:eval` grant. Default false. */
  readonly allowCodeGeneration?: boolean;
  /** Reuse one across plugins so shared packages are walked once. Default a new one. */
  readonly closure?: DependencyClosure;
}

/** The flags, and what went into them (for logs and reports). */
export interface NodePermissionFlags {
  /** `execArgv` for the child process. */
  readonly execArgv: readonly string[];
  /** Every path given `--allow-fs-read` (`*` means all). */
  readonly readPaths: readonly string[];
  /** Every path given `--allow-fs-write` (`*` means all). */
  readonly writePaths: readonly string[];
  /** Dependencies named in a package.json and installed nowhere; importing them will fail. */
  readonly missingDependencies: readonly string[];
}

/** Grant → Node flag, for the permissions that map to one switch. */
const SWITCHES: readonly (readonly [permission: string, flag: string])[] = [
  ['child-process:spawn', '--allow-child-process'],
  ['worker:spawn', '--allow-worker'],
  ['addon:load', '--allow-addons'],
  ['wasi:use', '--allow-wasi'],
  ['inspector:use', '--allow-inspector'],
];

/**
 * The `execArgv` that runs a plugin's child process under Node's permission model. Reading is
 * allowed in the plugin folder, the bootstrap's own files, and every package of the plugin's
 * runtime dependency closure, both where Node finds it (`node_modules/<name>`, often a symlink:
 * Node reads its package.json through that path) and at its real path (where the code is read
 * from); plus `fs:read:<path>` / `fs:write:<path>` grants, relative to the plugin folder or
 * absolute (`fs:read`, `fs:read:*` or a covering wildcard such as `fs:*`: everywhere). Child
 * processes, workers, addons, WASI and the inspector each need their grant (`child-process:spawn`,
 * `worker:spawn`, `addon:load`, `wasi:use`, `inspector:use`); `eval` needs `code:eval`.
 *
 * Node 24's permission model does not restrict the network or environment variables: the runtime
 * hands the child a minimal environment, and network access is not confined.
 */
export function buildNodePermissionFlags(input: NodePermissionFlagsInput): NodePermissionFlags {
  const closure = (input.closure ?? new DependencyClosure()).of(input.pluginDir);
  const read = new Set<string>([
    ...withRealPath(resolve(input.pluginDir)),
    ...input.runtimeReadPaths.flatMap((path) => withRealPath(resolve(path))),
    ...closure.packages.flatMap((pkg) => [pkg.foundAt, pkg.realPath]),
  ]);
  const write = new Set<string>();
  for (const [target, action] of [
    [read, 'read'],
    [write, 'write'],
  ] as const) {
    const paths = grantedPaths(input.granted, action, input.pluginDir);
    if (paths === 'all') {
      target.clear();
      target.add('*');
    } else for (const path of paths) target.add(path);
  }
  const readPaths = [...read].sort();
  const writePaths = [...write].sort();
  const execArgv = [
    '--permission',
    ...readPaths.map((path) => `--allow-fs-read=${path}`),
    ...writePaths.map((path) => `--allow-fs-write=${path}`),
    ...SWITCHES.filter(([permission]) => isGranted(permission, input.granted)).map(([, flag]) => flag),
  ];
  if (!isGranted('code:eval', input.granted) && input.allowCodeGeneration !== true) {
    execArgv.push('--disallow-code-generation-from-strings');
  }
  if (input.maxOldGenerationSizeMb !== undefined) {
    execArgv.push(`--max-old-space-size=${input.maxOldGenerationSizeMb}`);
  }
  return { execArgv, readPaths, writePaths, missingDependencies: closure.missing };
}

/** A grant split as `<area>:<action>[:<qualifier>]`; the qualifier may itself contain colons. */
export function parsePermission(permission: string): { area: string; action: string; qualifier?: string } {
  const [area = '', action = '', ...rest] = permission.split(':');
  return rest.length === 0 ? { area, action } : { area, action, qualifier: rest.join(':') };
}

function grantedPaths(
  granted: readonly string[],
  action: 'read' | 'write',
  pluginDir: string,
): string[] | 'all' {
  const prefix = `fs:${action}:`;
  const paths: string[] = [];
  for (const grant of granted) {
    if (grant === `fs:${action}`) return 'all';
    // A wildcard that covers every path: `*`, `fs:*`, `fs:read:*`.
    if (grant.endsWith('*') && prefix.startsWith(grant.slice(0, -1))) return 'all';
    const { area, action: grantAction, qualifier } = parsePermission(grant);
    if (area !== 'fs' || grantAction !== action || qualifier === undefined) continue;
    // `fs:read:data/*` means the folder: Node's grants on a folder cover everything below it.
    const path = qualifier.endsWith('*') ? qualifier.slice(0, -1) || '.' : qualifier;
    paths.push(...withRealPath(isAbsolute(path) ? resolve(path) : resolve(pluginDir, path)));
  }
  return paths;
}

// Node checks the path an fs call is given, while the module loader reads real paths: a
// symlinked folder needs both.
function withRealPath(path: string): string[] {
  try {
    const real = realpathSync(path);
    return real === path ? [path] : [path, real];
  } catch {
    return [path];
  }
}
