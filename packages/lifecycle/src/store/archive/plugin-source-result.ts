/** What an install source wrote: the plugin folder and how much it holds. */
export interface PluginSourceResult {
  /** Regular files written (links and folders not counted). */
  readonly files: number;
  /** Their total size in bytes. */
  readonly bytes: number;
  /** The plugin folder: the destination, as an absolute path. */
  readonly root: string;
}
