/**
 * The exit codes of the `trellis` command. They are part of the CLI's contract: scripts branch on
 * them, so a code keeps its meaning across releases.
 *
 * @example
 * ```sh
 * trellis config validate || [ $? -eq 3 ] && echo "config file not found"
 * ```
 */
export const EXIT_CODES = {
  /** The command ran and succeeded. */
  OK: 0,
  /** The command ran and the operation failed, e.g. the config is invalid or an audit log does not verify. */
  FAILURE: 1,
  /** The command line was wrong: an unknown command or option, a missing or invalid argument. */
  USAGE: 2,
  /** A resource the command needs could not be reached: a file is missing, a server is down. */
  UNAVAILABLE: 3,
  /** The command was interrupted (SIGINT, Ctrl-C); 128 + signal number 2, as shells report it. */
  INTERRUPTED: 130,
} as const;

/** One of the values of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
