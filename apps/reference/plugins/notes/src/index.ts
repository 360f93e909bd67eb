export type { Note, NotesConfig } from './notes-plugin.js';
export { NotesConfigSchema, plugin } from './notes-plugin.js';
export type { SandboxReport } from './sandbox-report.js';
export { sandboxReport } from './sandbox-report.js';
