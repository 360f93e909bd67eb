import { readFile } from 'node:fs/promises';
import { atomicWriteFile } from '@trellis/core';
import { z } from 'zod';
import { PluginIsolationSchema } from '../desired-state/desired-state-schema.js';
import { PluginStoreCorruptError } from './store-errors.js';

/** One plugin as the store records it. */
export const StoredPluginSchema = z
  .object({
    /** The version that runs; absent once uninstalled. */
    active: z.string().optional(),
    /** The version that ran before the last upgrade, downgrade or rollback: what `rollback` returns to. */
    previous: z.string().optional(),
    /** The backup taken before the change from `previous` to `active`. */
    previousBackup: z.string().optional(),
    /** Versions held side by side, oldest install first. */
    versions: z.array(z.string()),
    /** Content digest (SHA-256 over the sorted file hashes) of each held version. */
    digests: z.record(z.string(), z.string()).default({}),
    enabled: z.boolean().default(true),
    /** Overrides the manifest's isolation. */
    isolation: PluginIsolationSchema.optional(),
    /** Where the active version came from (a folder or an archive), for `plan`. */
    source: z.string().optional(),
    /** Set by an offline upgrade: the next host start runs the health gate and rolls back on failure. */
    gatePending: z.boolean().optional(),
    installedAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();

/** One plugin as the store records it. */
export type StoredPlugin = z.infer<typeof StoredPluginSchema>;

/** The content of `store.json`. */
export const StoreStateSchema = z
  .object({
    format: z.literal(1),
    plugins: z.record(z.string(), StoredPluginSchema),
  })
  .strict();

/** The content of `store.json`. */
export type StoreState = z.infer<typeof StoreStateSchema>;

/** Reads `store.json`; a store without one is empty. */
export async function readStoreState(file: string): Promise<StoreState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, plugins: {} };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PluginStoreCorruptError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = StoreStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new PluginStoreCorruptError(
      file,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

/** Replaces `store.json` atomically (temp file, fsync, rename, directory fsync). */
export async function writeStoreState(file: string, state: StoreState): Promise<void> {
  await atomicWriteFile(file, `${JSON.stringify(state, null, 2)}\n`);
}
