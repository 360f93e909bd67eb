import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { DesiredStateInvalidError, type DesiredStateProblem } from './desired-state-errors.js';
import {
  DESIRED_PLUGIN_FIELDS,
  DESIRED_STATE_FIELDS,
  type DesiredPlugin,
  type DesiredState,
  DesiredStateFileSchema,
  type DesiredStatePosition,
} from './desired-state-schema.js';

type Segment = PropertyKey;

/**
 * Parses the text of a desired-state file (`trellis.plugins.yaml`). Relative `source` paths are
 * resolved against the folder of `file`; nothing is read from disk.
 *
 * @throws {@link DesiredStateInvalidError} listing every problem, each as
 * `file:line:column field.path: message`: YAML syntax errors and duplicate keys first (the
 * fields of a broken document are not checked), otherwise every invalid or unknown field.
 * @example
 * ```ts
 * const desired = parseDesiredState('version: 1\nplugins:\n  hello: { source: ./plugins/hello }\n', '/srv/app/trellis.plugins.yaml');
 * desired.plugins[0]?.source; // '/srv/app/plugins/hello'
 * ```
 */
export function parseDesiredState(text: string, file: string): DesiredState {
  const lineCounter = new LineCounter();
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const doc = parseDocument(body, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new DesiredStateInvalidError(
      file,
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { file, line, column: col, path: '', message: firstSentence(error.message) };
      }),
    );
  }
  const parsed = DesiredStateFileSchema.safeParse(toValue(doc, lineCounter, file));
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => problemsOf(issue, doc, lineCounter, file));
    throw new DesiredStateInvalidError(file, problems.sort(byPosition));
  }
  const folder = dirname(file);
  const positions = keyPositions(doc, lineCounter);
  const plugins = Object.entries(parsed.data.plugins).map(([name, entry]): DesiredPlugin => {
    const { source, ...rest } = entry;
    const position = positions.get(name);
    return {
      name,
      ...rest,
      ...(source === undefined ? {} : { source: resolve(folder, source), sourceAsWritten: source }),
      ...(position === undefined ? {} : { position }),
    };
  });
  return { file, plugins };
}

/**
 * Reads and parses a desired-state file; see {@link parseDesiredState}.
 *
 * @throws {@link DesiredStateInvalidError} when the file cannot be read or is invalid.
 */
export async function loadDesiredState(file: string): Promise<DesiredState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new DesiredStateInvalidError(file, [
      { file, path: '', message: `cannot read the file: ${reason}; create it, or pass the right path` },
    ]);
  }
  return parseDesiredState(text, file);
}

/** The document as plain data; an alias to an unknown anchor is a problem at the alias. */
function toValue(doc: Document, lineCounter: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    let offset = 0;
    visit(doc, {
      Alias(_, alias) {
        if (alias.resolve(doc) !== undefined) return undefined;
        offset = alias.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const { line, col } = lineCounter.linePos(offset);
    const message = error instanceof Error ? error.message : String(error);
    throw new DesiredStateInvalidError(file, [{ file, line, column: col, path: '', message }]);
  }
}

function problemsOf(
  issue: z.core.$ZodIssue,
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): DesiredStateProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = issue.path.length === 0 ? DESIRED_STATE_FIELDS : DESIRED_PLUGIN_FIELDS;
    return issue.keys.map((key) =>
      problemAt(doc, lineCounter, file, [...issue.path, key], `unknown field; use ${listOf(allowed)}`),
    );
  }
  // A bad plugin name: zod puts the key schema's own message one level down.
  const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  return [problemAt(doc, lineCounter, file, issue.path, message)];
}

function problemAt(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  path: readonly Segment[],
  message: string,
): DesiredStateProblem {
  const { position } = locate(doc, path, lineCounter);
  return {
    file,
    ...(position ?? { line: 1, column: 1 }),
    path: path.map(String).join('.'),
    message,
  };
}

/**
 * The position of the key at the end of `path`, or of the deepest key on the way there when a
 * field is missing, so a problem always points at the entry it belongs to.
 */
function locate(
  doc: Document,
  path: readonly Segment[],
  lineCounter: LineCounter,
): { position?: DesiredStatePosition } {
  let node: unknown = doc.contents;
  let found: Node | undefined = doc.contents ?? undefined;
  for (const segment of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
    if (pair === undefined || !isScalar(pair.key)) break;
    found = pair.key;
    node = pair.value;
  }
  const offset = found?.range?.[0];
  if (offset === undefined) return {};
  const { line, col } = lineCounter.linePos(offset);
  return { position: { line, column: col } };
}

/** Position of each plugin's key, in one pass: a lookup per plugin would be quadratic. */
function keyPositions(doc: Document, lineCounter: LineCounter): Map<string, DesiredStatePosition> {
  const positions = new Map<string, DesiredStatePosition>();
  const plugins = isMap(doc.contents) ? doc.contents.get('plugins', true) : undefined;
  if (!isMap(plugins)) return positions;
  for (const { key } of plugins.items) {
    const offset = isScalar(key) ? key.range?.[0] : undefined;
    if (offset === undefined || !isScalar(key)) continue;
    const { line, col } = lineCounter.linePos(offset);
    positions.set(String(key.value), { line, column: col });
  }
  return positions;
}

function firstSentence(message: string): string {
  // yaml's message repeats the position; the problem carries it already.
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function listOf(fields: readonly string[]): string {
  const quoted = fields.map((field) => `"${field}"`);
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

function byPosition(a: DesiredStateProblem, b: DesiredStateProblem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
