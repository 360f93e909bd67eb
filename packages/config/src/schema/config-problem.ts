/** One validation problem, as reported in {@link ConfigInvalidError}. */
export interface ConfigProblem {
  /** Dotted path, e.g. `cache.ttlMs` (empty for the root). */
  readonly path: string;
  /** What is wrong, including what was expected and what was received (redacted for secrets). */
  readonly message: string;
  /** Where the value came from: `config/default.yaml:12:3`, `env TRELLIS_CACHE__TTL_MS`, `schema default`... */
  readonly origin: string;
}
