import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definePlugin, HTTP_ROUTER, type PluginContext } from '@trellis/core';
import { z } from 'zod';
import { sandboxReport } from './sandbox-report.js';

/** Config slice `plugins.notes`. */
export const NotesConfigSchema = z
  .object({
    /** Notes kept; the oldest goes when a new one would exceed it. */
    maxNotes: z.number().int().positive().max(10_000).default(100),
    /** Longest note accepted, in characters. */
    maxLength: z.number().int().positive().max(100_000).default(1_000),
  })
  .strict();

/** The notes plugin's parsed config. */
export type NotesConfig = z.infer<typeof NotesConfigSchema>;

/** One stored note. */
export interface Note {
  readonly id: number;
  readonly text: string;
  readonly at: string;
}

const NOTES_KEY = 'notes';

async function readNotes(ctx: PluginContext<NotesConfig>): Promise<Note[]> {
  return (await ctx.cache.get<Note[]>(NOTES_KEY)) ?? [];
}

/**
 * A small notes store meant to show the `process` sandbox: it runs in a child process under
 * Node's permission model, reading only its own folder and its dependencies, with no child
 * processes, workers or `eval`, and a minimal environment. Notes live in the host's cache
 * (its `plugin:notes` namespace), reached through the boundary.
 *
 * `GET /plugins/notes` lists notes, `POST /plugins/notes` with `{ "text": "..." }` adds one, and
 * `GET /plugins/notes/sandbox` reports what the process may do.
 */
export const plugin = definePlugin<NotesConfig>({
  configSchema: NotesConfigSchema,
  setup(ctx) {
    const router = ctx.resolve(HTTP_ROUTER);
    router.route({
      method: 'GET',
      path: '/',
      handler: async () => ({ body: { notes: await readNotes(ctx) } }),
    });
    router.route({
      method: 'POST',
      path: '/',
      handler: async (request) => {
        const text = (request.body as { text?: unknown } | undefined)?.text;
        if (typeof text !== 'string' || text.trim() === '' || text.length > ctx.config.maxLength) {
          return {
            status: 400,
            body: {
              error: {
                code: 'NOTES_TEXT_INVALID',
                message: `Send {"text": "..."}: a non-empty string of at most ${ctx.config.maxLength} characters.`,
              },
            },
          };
        }
        const notes = await readNotes(ctx);
        const note: Note = { id: (notes.at(-1)?.id ?? 0) + 1, text, at: new Date().toISOString() };
        const kept = [...notes, note].slice(-ctx.config.maxNotes);
        await ctx.cache.set(NOTES_KEY, kept, { ttlMs: 0 });
        return { status: 201, body: note };
      },
    });
    router.route({
      method: 'GET',
      path: '/sandbox',
      handler: () => ({ body: sandboxReport(['/etc/passwd', dirname(fileURLToPath(import.meta.url))]) }),
    });
  },
  health: async (ctx) => ({ status: 'pass', details: { notes: (await readNotes(ctx)).length } }),
});
