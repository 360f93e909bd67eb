import type { ConfigReader, Disposer } from '@trellis/core';
import { touchesPath } from '../shared/config-path.js';
import { composePolicy, type PolicyDeps } from './compose.js';
import type { Policy } from './policy.js';
import type { PoliciesConfigInput, PolicyConfig } from './policy-schema.js';
import { parsePoliciesConfig, resolvePolicyConfig } from './resolve-policy-config.js';

/** The configuration path {@link PolicyRegistry.watch} reads by default. */
export const DEFAULT_POLICIES_PATH = 'resilience.policies';

/**
 * Builds policies from configuration and keeps one per (plugin, call site), so every call of a
 * call site shares its breaker, bulkhead and budget (a breaker built per call would never open).
 * A configuration change drops the built policies; the next `get` builds them anew.
 */
export class PolicyRegistry {
  readonly #deps: PolicyDeps;
  readonly #policies = new Map<string, Policy>();
  #config: PoliciesConfigInput;

  /** Throws `RESILIENCE_POLICY_INVALID` when `config` does not match `PoliciesConfigSchema`. */
  constructor(config: unknown = {}, deps: PolicyDeps = {}) {
    this.#config = parsePoliciesConfig(config);
    this.#deps = deps;
  }

  /** Policies built so far. */
  get size(): number {
    return this.#policies.size;
  }

  /** The merged configuration of a call site (see `resolvePolicyConfig` for the precedence). */
  resolve(plugin: string, callSite: string): PolicyConfig {
    return resolvePolicyConfig(this.#config, plugin, callSite);
  }

  /** The policy of `callSite` as called by `plugin`, named `plugin/callSite`; built on first use. */
  get(plugin: string, callSite: string): Policy {
    const key = `${plugin}\u0000${callSite}`;
    let policy = this.#policies.get(key);
    if (policy === undefined) {
      policy = composePolicy(`${plugin}/${callSite}`, this.resolve(plugin, callSite), this.#deps);
      this.#policies.set(key, policy);
    }
    return policy;
  }

  /** The policies built so far for `plugin`, every call site: e.g. to open their breakers early. */
  ofPlugin(plugin: string): readonly Policy[] {
    const prefix = `${plugin}\u0000`;
    return [...this.#policies].filter(([key]) => key.startsWith(prefix)).map(([, policy]) => policy);
  }

  /**
   * Replaces the configuration. Invalid input throws and leaves the current policies in place;
   * valid input disposes the built ones (in-flight calls finish under them) so breakers and
   * budgets restart from the new settings.
   */
  update(config: unknown): void {
    this.#config = parsePoliciesConfig(config);
    this.#clear();
  }

  /**
   * Follows `path` of `reader`: each change under it is applied with {@link PolicyRegistry.update}.
   * An invalid change goes to `onError` (default: a process warning) and is not applied.
   */
  watch(
    reader: ConfigReader,
    path: string = DEFAULT_POLICIES_PATH,
    onError: (error: unknown) => void = (error) => process.emitWarning(String(error)),
  ): Disposer {
    const apply = () => {
      try {
        this.update(reader.get(path) ?? {});
      } catch (error) {
        onError(error);
      }
    };
    apply();
    return reader.onChange((change) => {
      if (touchesPath(change.paths, path)) apply();
    });
  }

  /** Disposes every built policy. */
  dispose(): void {
    this.#clear();
  }

  #clear(): void {
    for (const policy of this.#policies.values()) policy.dispose();
    this.#policies.clear();
  }
}
