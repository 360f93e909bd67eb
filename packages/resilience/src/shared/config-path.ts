/**
 * True when a config change at any of `changed` reaches `path`: the path itself, something
 * under it, or a section above it (a whole `resilience` section replaced changes its `chaos`).
 */
export function touchesPath(changed: readonly string[], path: string): boolean {
  return changed.some((at) => at === path || at.startsWith(`${path}.`) || path.startsWith(`${at}.`));
}
