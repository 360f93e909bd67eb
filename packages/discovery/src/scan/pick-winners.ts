import semver from 'semver';
import { PluginNameTakenError } from '../errors.js';
import type { FoundManifest } from '../manifest/read-manifest.js';

/** Result of {@link pickWinners}. */
export interface WinnerPick {
  /** One plugin per name, sorted by name. */
  readonly winners: readonly FoundManifest[];
  /** One warning per plugin that lost its name to another, sorted by name then path. */
  readonly conflicts: readonly PluginNameTakenError[];
}

/**
 * Keeps one plugin per name: the highest version, then the folder path that sorts first
 * (by UTF-16 code units, the same on every machine). Every other plugin of that name is reported
 * with a {@link PluginNameTakenError} naming both manifest files.
 *
 * @example
 * ```ts
 * const { winners, conflicts } = pickWinners(found);
 * ```
 */
export function pickWinners(candidates: readonly FoundManifest[]): WinnerPick {
  const byName = new Map<string, FoundManifest[]>();
  for (const candidate of candidates) {
    const group = byName.get(candidate.manifest.name);
    if (group === undefined) byName.set(candidate.manifest.name, [candidate]);
    else group.push(candidate);
  }
  const winners: FoundManifest[] = [];
  const conflicts: PluginNameTakenError[] = [];
  for (const name of [...byName.keys()].sort(compareText)) {
    const [winner, ...losers] = (byName.get(name) ?? []).sort(
      (a, b) => semver.rcompare(a.manifest.version, b.manifest.version) || compareText(a.dir, b.dir),
    );
    if (winner === undefined) continue;
    winners.push(winner);
    for (const loser of losers) conflicts.push(new PluginNameTakenError(name, winner.file, loser.file));
  }
  return { winners, conflicts };
}

/** Orders strings by UTF-16 code units, independent of locale. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
