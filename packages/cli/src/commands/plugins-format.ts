import type { PluginSummary } from '@trellis/core';
import type { LocalPluginsReport, LocalPluginView } from '@trellis/lifecycle';
import { formatCell, type TableRow } from '../format-table.js';
import { type CliIO, printResult } from '../output.js';

/** Fields printed as a list under their own heading, one item a line, rather than as one value. */
const LIST_FIELDS = new Set([
  'dependencies',
  'optionalDependencies',
  'dependents',
  'permissions',
  'granted',
  'history',
]);

/** A row of `plugins list` for a plugin of a folder. */
export function localPluginRow(plugin: LocalPluginView): TableRow {
  return {
    name: plugin.name,
    version: plugin.version,
    state: plugin.state,
    isolation: plugin.isolation,
    wave: plugin.wave < 0 ? '-' : plugin.wave,
    activation: valueText(plugin.activation),
  };
}

/** A row of `plugins list --url` for a plugin of a running app. */
export function remotePluginRow(plugin: PluginSummary): TableRow {
  return {
    name: plugin.name,
    version: plugin.version,
    state: plugin.state,
    isolation: plugin.isolation,
    critical: plugin.critical,
    error: plugin.error?.code ?? '',
  };
}

/**
 * Prints one plugin (a local view, or an app's summary or details) as aligned `key: value`
 * lines, then each list field (dependencies, dependents, permissions...) under its heading.
 */
export function printPluginDetails(io: CliIO, plugin: object): void {
  const values: Record<string, unknown> = {};
  const lists: string[] = [];
  for (const [key, value] of Object.entries(plugin)) {
    if (LIST_FIELDS.has(key) && Array.isArray(value)) {
      const items = value.length === 0 ? ['(none)'] : value.map(listItemText);
      lists.push(`\n${key}:\n${items.map((item) => `  ${item}`).join('\n')}\n`);
    } else {
      values[key] = valueText(value);
    }
  }
  printResult(io, values, { json: false });
  io.stdout(lists.join(''));
}

/**
 * Writes to stderr what a folder scan found wrong: why each disabled plugin will not start, bad
 * manifests, resolution warnings. `withDisabled: false` leaves out the disabled plugins, for
 * output that marks them already.
 */
export function printScanDiagnostics(
  io: CliIO,
  report: LocalPluginsReport,
  { withDisabled = true } = {},
): void {
  const lines = [
    ...(withDisabled
      ? report.plugins.flatMap(({ name, disabled }) =>
          disabled ? [`${name} is disabled: ${disabled.code}: ${disabled.message}`] : [],
        )
      : []),
    ...report.problems.map(({ code, message }) => `${code}: ${message}`),
    ...report.warnings.map((warning) => `warning: ${warning}`),
  ];
  if (lines.length > 0) io.stderr(`${lines.join('\n')}\n`);
}

/** A field's value in one line: lists joined, `{ code, message }` as `CODE: message`. */
function valueText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(formatCell).join(', ');
  const { code, message } = (value ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && typeof message === 'string') return `${code}: ${message}`;
  return value;
}

/** One item of a list field: a dependency as `name range`, a transition as `from → to (reason)`. */
function listItemText(item: unknown): string {
  const { name, range, from, to, reason } = (item ?? {}) as Record<string, unknown>;
  if (typeof name === 'string' && typeof range === 'string') return `${name} ${range}`;
  if (typeof from === 'string' && typeof to === 'string') {
    return `${from} → ${to}${typeof reason === 'string' ? ` (${reason})` : ''}`;
  }
  return formatCell(item);
}
