type Provider =
  | { readonly useValue: unknown }
  | { readonly useFactory: (container: LocalContainer) => unknown };

/**
 * `ctx.container` inside a worker or process: a small registry, not tsyringe (which cannot cross
 * the boundary). `register` takes `{ useValue }` or `{ useFactory }` (called on every resolve, as
 * tsyringe does); a token registered here is the plugin's own and resolves without a permission.
 * Any other token is resolved as `ctx.resolve` does.
 */
export class LocalContainer {
  readonly #providers = new Map<symbol, Provider>();
  readonly #fallback: (token: symbol) => unknown;

  constructor(fallback: (token: symbol) => unknown) {
    this.#fallback = fallback;
  }

  /** Registers a value or a factory for `token`; a later registration replaces it. */
  register(token: symbol, provider: Provider): this {
    if (typeof token !== 'symbol') throw new TypeError('register() needs a token (a symbol).');
    const valid =
      typeof provider === 'object' &&
      provider !== null &&
      ('useValue' in provider || ('useFactory' in provider && typeof provider.useFactory === 'function'));
    if (!valid) {
      throw new TypeError(
        'Inside a worker or process plugin, register() takes { useValue } or { useFactory } only (the container is not tsyringe).',
      );
    }
    this.#providers.set(token, provider);
    return this;
  }

  /** True when `token` was registered here. */
  isRegistered(token: symbol): boolean {
    return this.#providers.has(token);
  }

  /** The registered value, or what `ctx.resolve` gives for a token not registered here. */
  resolve<T>(token: symbol): T {
    return (this.#providers.has(token) ? this.resolveOwn(token) : this.#fallback(token)) as T;
  }

  /** The value registered here for `token` (call only when {@link isRegistered}). */
  resolveOwn(token: symbol): unknown {
    const provider = this.#providers.get(token);
    if (provider === undefined) return undefined;
    return 'useValue' in provider ? provider.useValue : provider.useFactory(this);
  }
}
