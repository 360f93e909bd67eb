/**
 * Prefix of the stderr line a plugin's child process writes when it dies of an uncaught
 * exception, followed by the error as JSON. The host tells a crash from `process.exit()` by it.
 */
export const CRASH_MARKER = '@@trellis-plugin-crash@@ ';
