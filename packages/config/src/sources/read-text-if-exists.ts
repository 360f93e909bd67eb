import { readFile } from 'node:fs/promises';

/** The UTF-8 text of `file`, or undefined when it does not exist (an optional layer); other errors throw. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
