const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'it is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'symlink loop (the link resolves back to itself)',
  EMFILE: 'too many open files (lower the scan concurrency)',
};

/**
 * Says in words why a file-system call failed, from its errno code, for
 * {@link PluginScanError} messages: `ENOENT` → `it does not exist`.
 */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) return WORDS[code] ?? code;
  return error instanceof Error ? error.message : String(error);
}

/** The errno code of a failed file-system call, when it has one. */
export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** {@link describeFsError} for resolving a symlink, where `ENOENT` means the link is broken. */
export function describeLinkError(error: unknown): string {
  return errorCode(error) === 'ENOENT'
    ? 'broken symlink (its target does not exist)'
    : describeFsError(error);
}
