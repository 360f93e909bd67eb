/** How a module ended when the platform stopped it. */
export type ModuleStopOutcome = 'stopped' | 'failed' | 'timeout';

/**
 * The platform's event map. Packages add their events by declaration merging:
 *
 * @example
 * ```ts
 * declare module '@trellis/core' {
 *   interface TrellisEvents { 'config.changed': { paths: string[] } }
 * }
 * ```
 */
export interface TrellisEvents {
  'platform.starting': { readonly platform: string };
  'platform.started': { readonly platform: string; readonly durationMs: number };
  'platform.stopping': { readonly platform: string; readonly reason: string };
  'platform.stopped': { readonly platform: string; readonly durationMs: number };
  'module.started': { readonly module: string; readonly durationMs: number };
  'module.failed': { readonly module: string; readonly phase: 'register' | 'start'; readonly error: unknown };
  'module.stopped': {
    readonly module: string;
    readonly durationMs: number;
    readonly outcome: ModuleStopOutcome;
  };
}
