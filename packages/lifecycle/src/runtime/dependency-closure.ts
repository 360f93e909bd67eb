import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Where one package of a dependency closure was found. */
export interface ClosurePackage {
  readonly name: string;
  /** The `node_modules/<name>` folder Node finds first, walking up (may be a symlink). */
  readonly foundAt: string;
  /** Its real path (with pnpm, inside `node_modules/.pnpm`). */
  readonly realPath: string;
}

/** The runtime dependencies of a package, transitively. */
export interface DependencyClosureResult {
  readonly packages: readonly ClosurePackage[];
  /** Dependencies named in a package.json but found nowhere (`package name (wanted by dir)`). */
  readonly missing: readonly string[];
}

const FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/**
 * Finds the packages a plugin can load at run time: its package.json `dependencies`,
 * `optionalDependencies` and `peerDependencies`, each found the way Node finds it (the first
 * `node_modules/<name>` walking up from the real folder of the package that depends on it), then
 * their own dependencies, and so on. Lookups are cached per folder, so many plugins sharing
 * packages cost one walk; build one instance per runtime (a new install needs a new instance).
 */
export class DependencyClosure {
  readonly #direct = new Map<string, { readonly found: ClosurePackage[]; readonly missing: string[] }>();
  readonly #closures = new Map<string, DependencyClosureResult>();

  /** The dependency closure of the package in `packageDir` (the package itself not included). */
  of(packageDir: string): DependencyClosureResult {
    const root = realpathSync(resolve(packageDir));
    const cached = this.#closures.get(root);
    if (cached !== undefined) return cached;
    const packages = new Map<string, ClosurePackage>();
    const missing = new Set<string>();
    const queue = [root];
    const visited = new Set<string>(queue);
    while (queue.length > 0) {
      const dir = queue.shift() as string;
      const direct = this.#directOf(dir);
      for (const entry of direct.missing) missing.add(entry);
      for (const found of direct.found) {
        packages.set(`${found.foundAt}\0${found.realPath}`, found);
        if (!visited.has(found.realPath)) {
          visited.add(found.realPath);
          queue.push(found.realPath);
        }
      }
    }
    const result = { packages: [...packages.values()], missing: [...missing] };
    this.#closures.set(root, result);
    return result;
  }

  #directOf(realDir: string) {
    let direct = this.#direct.get(realDir);
    if (direct !== undefined) return direct;
    direct = { found: [], missing: [] };
    for (const name of dependencyNames(realDir)) {
      const foundAt = findInNodeModules(realDir, name);
      if (foundAt === undefined) direct.missing.push(`${name} (wanted by ${realDir})`);
      else direct.found.push({ name, foundAt, realPath: realpathSync(foundAt) });
    }
    this.#direct.set(realDir, direct);
    return direct;
  }
}

function dependencyNames(dir: string): string[] {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const field of FIELDS) {
    const deps = manifest[field];
    if (typeof deps === 'object' && deps !== null) for (const name of Object.keys(deps)) names.add(name);
  }
  return [...names];
}

function findInNodeModules(fromDir: string, name: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    // As Node does: a folder named node_modules is never searched for node_modules/node_modules.
    const candidate = join(dir, 'node_modules', name);
    if (basename(dir) !== 'node_modules' && isDirectory(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
