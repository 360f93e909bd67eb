// Test helpers: small builders for desired states, store states and source manifests, so each
// planner test reads as the situation it describes.
import type {
  DesiredSourceManifest,
  DesiredStatePlan,
  InstalledPluginState,
  PlanAction,
} from './desired-state-plan.js';
import type { DesiredPlugin, DesiredState } from './desired-state-schema.js';

/** The desired-state file the fixtures pretend to come from. */
export const FIXTURE_FILE = '/app/trellis.plugins.yaml';

/** A desired plugin, enabled unless told otherwise. */
export function want(name: string, fields: Omit<Partial<DesiredPlugin>, 'name'> = {}): DesiredPlugin {
  return { name, enabled: true, ...fields };
}

/** A desired plugin installed from `/app/src/<name>` (written `./src/<name>`). */
export function wantSource(name: string, fields: Omit<Partial<DesiredPlugin>, 'name'> = {}): DesiredPlugin {
  return want(name, { source: sourcePath(name), sourceAsWritten: `./src/${name}`, ...fields });
}

/** The resolved source path {@link wantSource} uses. */
export function sourcePath(name: string): string {
  return `/app/src/${name}`;
}

/** A desired state of these plugins. */
export function desiredOf(...plugins: DesiredPlugin[]): DesiredState {
  return { file: FIXTURE_FILE, plugins };
}

/** The manifest of `/app/src/<name>`, keyed by its path, for a `sources` map. */
export function sourceOf(
  name: string,
  version: string,
  fields: Partial<DesiredSourceManifest> = {},
): [string, DesiredSourceManifest] {
  return [sourcePath(name), { name, version, digest: digestOf(name, version), ...fields }];
}

/** The digest fixtures give an unchanged build of `name@version`. */
export function digestOf(name: string, version: string): string {
  return `sha256:${name}-${version}-0000000000000000`;
}

/** An installed, enabled plugin holding only its active version, built from an unchanged source. */
export function installedPlugin(
  name: string,
  active: string,
  fields: Omit<Partial<InstalledPluginState>, 'name' | 'active'> = {},
): InstalledPluginState {
  return { name, active, versions: [active], enabled: true, digest: digestOf(name, active), ...fields };
}

/** Each action as one short line, e.g. `upgrade weather 1.0.0→1.2.0`: compact expectations. */
export function actionLines(plan: DesiredStatePlan): string[] {
  return plan.actions.map(actionLine);
}

/** One action as a short line; see {@link actionLines}. */
export function actionLine(action: PlanAction): string {
  switch (action.kind) {
    case 'install':
    case 'uninstall':
    case 'reinstall':
      return `${action.kind} ${action.name} ${action.version}`;
    case 'upgrade':
    case 'downgrade':
      return `${action.kind} ${action.name} ${action.from}→${action.to}`;
    case 'set-isolation':
      return `set-isolation ${action.name} ${action.from ?? '-'}→${action.to ?? '-'}`;
    default:
      return `${action.kind} ${action.name}`;
  }
}
