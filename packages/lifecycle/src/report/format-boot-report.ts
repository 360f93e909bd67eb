import {
  type BootReport,
  PLUGIN_BOOT_OUTCOMES,
  type PluginBootOutcome,
  type PluginBootRecord,
} from './boot-report.js';

/** Options of {@link formatBootReport}. */
export interface FormatBootReportOptions {
  /** Colour failed (red), disabled (yellow) and lazy (dim) plugins with ANSI codes; off by default. */
  readonly color?: boolean;
}

type Paint = (text: string) => string;

const plain: Paint = (text) => text;
const red: Paint = (text) => `\u001b[31m${text}\u001b[39m`;
const yellow: Paint = (text) => `\u001b[33m${text}\u001b[39m`;
const dim: Paint = (text) => `\u001b[2m${text}\u001b[22m`;

const NOT_READY_VERB: Record<PluginBootOutcome, string> = {
  active: 'is active',
  failed: 'failed',
  disabled: 'is disabled',
  lazy: 'is lazy (not started)',
  skipped: 'was skipped',
};

/**
 * Renders a boot report as a dependency tree, like `npm ls`: a header with the counts and whether
 * the host is ready, then every plugin under the plugins it depends on, so the tree reads in start
 * order. Roots are plugins without dependencies; a plugin reachable along several paths is printed
 * in full once and then as `name@version (see above)`. Siblings are ordered by name.
 *
 * @example
 * ```text
 * plugins: 4 active · ready · 42 ms
 * └─ db@1.0.0  active  load 3 ms · setup 1 ms · start 0 ms
 *    ├─ billing@2.1.0  active  [worker]  load 5 ms · setup 2 ms · start 1 ms
 *    │  └─ reports@1.0.0  active  load 1 ms · setup 0 ms · start 0 ms
 *    └─ users@1.4.0  active  load 2 ms · setup 0 ms · start 0 ms
 *       └─ reports@1.0.0 (see above)
 * ```
 */
export function formatBootReport(report: BootReport, options: FormatBootReportOptions = {}): string {
  const color = options.color === true;
  const records = new Map<string, PluginBootRecord>();
  for (const record of report.plugins) if (!records.has(record.name)) records.set(record.name, record);

  const dependents = new Map<string, string[]>();
  const roots: string[] = [];
  for (const record of records.values()) {
    // Dependencies the report does not list cannot be drawn; a plugin waiting only on those is a root.
    const known = new Set(record.dependencies.filter((dep) => dep !== record.name && records.has(dep)));
    if (known.size === 0) roots.push(record.name);
    for (const dep of known) {
      const list = dependents.get(dep);
      if (list) list.push(record.name);
      else dependents.set(dep, [record.name]);
    }
  }
  for (const list of dependents.values()) list.sort(byName);
  roots.sort(byName);

  const lines = [formatHeader(report, color)];
  const printed = new Set<string>();
  for (const top of topLevel(roots, [...records.keys()].sort(byName), dependents)) {
    renderTree(top.name, top.last, records, dependents, printed, color, lines);
  }
  return lines.join('\n');
}

interface TopEntry {
  readonly name: string;
  readonly last: boolean;
}

/**
 * The plugins drawn at the top: every root, then, for plugins no root reaches (only possible
 * when the dependencies form a cycle), the first such plugin by name, repeatedly, so every plugin
 * appears in the tree.
 */
function topLevel(
  roots: readonly string[],
  names: readonly string[],
  dependents: ReadonlyMap<string, string[]>,
): TopEntry[] {
  const reached = new Set<string>();
  const reach = (start: string): void => {
    const queue = [start];
    reached.add(start);
    for (let i = 0; i < queue.length; i++) {
      for (const child of dependents.get(queue[i] as string) ?? []) {
        if (!reached.has(child)) {
          reached.add(child);
          queue.push(child);
        }
      }
    }
  };
  const tops = [...roots];
  for (const root of roots) reach(root);
  for (const name of names) {
    if (reached.has(name)) continue;
    tops.push(name);
    reach(name);
  }
  return tops.map((name, i) => ({ name, last: i === tops.length - 1 }));
}

interface Frame {
  readonly name: string;
  readonly prefix: string;
  readonly last: boolean;
}

// Iterative, not recursive: a chain of thousands of plugins must not overflow the stack.
function renderTree(
  top: string,
  topIsLast: boolean,
  records: ReadonlyMap<string, PluginBootRecord>,
  dependents: ReadonlyMap<string, string[]>,
  printed: Set<string>,
  color: boolean,
  lines: string[],
): void {
  const stack: Frame[] = [{ name: top, prefix: '', last: topIsLast }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const record = records.get(frame.name) as PluginBootRecord;
    const branch = `${frame.prefix}${frame.last ? '└─ ' : '├─ '}`;
    if (printed.has(frame.name)) {
      const seen = `${record.name}@${record.version} (see above)`;
      lines.push(`${branch}${color ? dim(seen) : seen}`);
      continue;
    }
    printed.add(frame.name);
    lines.push(`${branch}${formatPlugin(record, color)}`);
    const children = dependents.get(frame.name) ?? [];
    const childPrefix = `${frame.prefix}${frame.last ? '   ' : '│  '}`;
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ name: children[i] as string, prefix: childPrefix, last: i === children.length - 1 });
    }
  }
}

function formatPlugin(record: PluginBootRecord, color: boolean): string {
  const parts = [`${record.name}@${record.version}`, record.outcome];
  if (record.isolation !== 'inline') parts.push(`[${record.isolation}]`);
  if (record.critical) parts.push('[critical]');
  if (record.error) {
    parts.push(`${record.error.code}: ${firstLine(record.error.message)}`);
  } else if (record.outcome === 'active' || record.outcome === 'lazy') {
    const { loadMs, setupMs, startMs } = record.timings;
    parts.push(`load ${ms(loadMs)} · setup ${ms(setupMs)} · start ${ms(startMs)}`);
  }
  const line = parts.join('  ');
  return color ? paintFor(record.outcome)(line) : line;
}

function formatHeader(report: BootReport, color: boolean): string {
  const counts = PLUGIN_BOOT_OUTCOMES.filter((outcome) => report.counts[outcome] > 0).map(
    (outcome) => `${report.counts[outcome]} ${outcome}`,
  );
  const status = report.ready ? 'ready' : `NOT READY${notReadyReason(report)}`;
  return `plugins: ${counts.length > 0 ? counts.join(', ') : 'none'} · ${color && !report.ready ? red(status) : status} · ${ms(report.durationMs)}`;
}

function notReadyReason(report: BootReport): string {
  if (report.aborted) return ` (boot aborted: plugin ${report.aborted.plugin} failed)`;
  const blocking = report.plugins.filter((p) => p.critical && p.outcome !== 'active').sort(byName);
  const first = blocking[0];
  if (!first) return '';
  const more = blocking.length > 1 ? `, +${blocking.length - 1} more` : '';
  return ` (critical plugin ${first.name} ${NOT_READY_VERB[first.outcome]}${more})`;
}

function paintFor(outcome: PluginBootOutcome): Paint {
  if (outcome === 'failed') return red;
  if (outcome === 'disabled') return yellow;
  if (outcome === 'lazy') return dim;
  return plain;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}

// Code-unit order, not localeCompare: the output must not depend on the machine's locale.
function byName(a: string | { readonly name: string }, b: string | { readonly name: string }): number {
  const x = typeof a === 'string' ? a : a.name;
  const y = typeof b === 'string' ? b : b.name;
  return x < y ? -1 : x > y ? 1 : 0;
}
