/**
 * `sha256:0123456789ab` from a full digest (or its first 12 characters when it has no algorithm
 * prefix): enough to tell two builds apart in a line of output.
 */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return colon === -1 ? digest.slice(0, 12) : digest.slice(0, colon + 13);
}
