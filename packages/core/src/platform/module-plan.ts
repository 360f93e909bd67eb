import {
  DependencyMissingError,
  type MissingDependency,
  ModuleCycleError,
  ModuleDuplicateError,
  ProviderConflictError,
} from '../errors.js';
import { tokenName } from '../token.js';
import { providerHint } from '../tokens.js';
import { dependencyToken, type TrellisModule } from './module.js';

/** The start order of a set of modules and who provides what. */
export interface ModulePlan {
  /** Modules in start order; stop order is the reverse. */
  readonly order: readonly TrellisModule[];
  /** Token → name of the module that provides it. */
  readonly providers: ReadonlyMap<symbol, string>;
}

/**
 * Orders modules so every module starts after the providers of its dependencies, keeping
 * registration order where dependencies allow (Kahn's algorithm, stable).
 *
 * @param isPreRegistered whether a token is available without a module (core defaults, `services`).
 */
export function planModules(
  modules: readonly TrellisModule[],
  isPreRegistered: (token: symbol) => boolean,
): ModulePlan {
  const providers = new Map<symbol, string>();
  const names = new Set<string>();
  for (const module of modules) {
    if (names.has(module.name)) throw new ModuleDuplicateError(module.name);
    names.add(module.name);
    for (const token of module.provides ?? []) {
      const existing = providers.get(token);
      if (existing !== undefined) throw new ProviderConflictError(token, existing, module.name);
      providers.set(token, module.name);
    }
  }

  const missing: MissingDependency[] = [];
  const edges = new Map<string, Set<string>>(modules.map((m) => [m.name, new Set<string>()]));
  for (const module of modules) {
    for (const dependency of module.dependsOn ?? []) {
      const token = dependencyToken(dependency);
      const provider = providers.get(token);
      if (provider !== undefined) {
        if (provider !== module.name) edges.get(module.name)?.add(provider);
      } else if (!isPreRegistered(token) && typeof dependency === 'symbol') {
        missing.push({ token: tokenName(token), neededBy: module.name, providedBy: providerHint(token) });
      }
    }
  }
  if (missing.length > 0) throw new DependencyMissingError(missing);
  return { order: topologicalOrder(modules, edges), providers };
}

function topologicalOrder(
  modules: readonly TrellisModule[],
  edges: ReadonlyMap<string, ReadonlySet<string>>,
) {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const remaining = new Map(modules.map((m) => [m.name, edges.get(m.name)?.size ?? 0]));
  const dependents = new Map<string, string[]>();
  for (const [name, deps] of edges) {
    for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), name]);
  }
  const order: TrellisModule[] = [];
  const placed = new Set<string>();
  // Registration order is the tie-breaker, so plans are deterministic and match what users wrote.
  while (order.length < modules.length) {
    const next = modules.find((m) => !placed.has(m.name) && remaining.get(m.name) === 0);
    if (!next)
      throw new ModuleCycleError(
        findCycle(
          modules.filter((m) => !placed.has(m.name)),
          edges,
        ),
      );
    placed.add(next.name);
    order.push(byName.get(next.name) as TrellisModule);
    for (const dependent of dependents.get(next.name) ?? []) {
      remaining.set(dependent, (remaining.get(dependent) ?? 0) - 1);
    }
  }
  return order;
}

function findCycle(
  candidates: readonly TrellisModule[],
  edges: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const names = new Set(candidates.map((m) => m.name));
  const visiting: string[] = [];
  const done = new Set<string>();
  const visit = (name: string): string[] | undefined => {
    const at = visiting.indexOf(name);
    if (at >= 0) return [...visiting.slice(at), name];
    if (done.has(name)) return undefined;
    visiting.push(name);
    for (const dep of edges.get(name) ?? []) {
      if (!names.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    visiting.pop();
    done.add(name);
    return undefined;
  };
  for (const module of candidates) {
    const cycle = visit(module.name);
    if (cycle) return cycle;
  }
  /* c8 ignore next */
  return [...names];
}
