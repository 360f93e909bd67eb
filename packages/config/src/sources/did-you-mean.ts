import { closest, distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `word` by edit distance, when it is close enough to be a likely typo:
 * at most `max(2, word.length / 3)` edits. Undefined when nothing is that close.
 *
 * @example
 * ```ts
 * didYouMean('ttlm', ['ttlms', 'maxentries']); // 'ttlms'
 * ```
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, candidates);
  return distance(word, best) <= Math.max(2, word.length / 3) ? best : undefined;
}
