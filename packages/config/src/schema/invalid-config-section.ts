/** One problem inside an {@link InvalidConfigSection}. */
export interface SectionProblem {
  /** Full dotted path, e.g. `plugins.hello.greeting`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Stands in for an isolated section (a plugin's `plugins.<name>` slice) whose value is invalid,
 * so one plugin's bad config fails that plugin alone instead of the whole configuration. The
 * plugin host checks for it and reports the problems, with their origins, as the plugin's error.
 */
export class InvalidConfigSection {
  constructor(
    /** The section's dotted path. */
    readonly path: string,
    /** Every problem in it. */
    readonly problems: readonly SectionProblem[],
  ) {
    Object.freeze(this);
  }
}

/** True when `value` is an {@link InvalidConfigSection}. */
export function isInvalidConfigSection(value: unknown): value is InvalidConfigSection {
  return value instanceof InvalidConfigSection;
}
