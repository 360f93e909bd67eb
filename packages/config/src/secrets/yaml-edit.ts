import { Composer, CST, type Document, isMap, isScalar, isSeq, LineCounter, Parser, type Scalar } from 'yaml';
import { ConfigParseError } from '../errors.js';

/** One scalar of a YAML document, with its dotted config path. */
export interface YamlScalarSite {
  readonly scalar: Scalar;
  /** Dotted path; sequence indices are segments (`servers.0.password`). */
  readonly path: string;
  /** Whether the scalar is a mapping value (its replacement is indented one level more). */
  readonly afterKey: boolean;
  /** Whether the scalar is inside a flow collection (`{...}` or `[...]`). */
  readonly inFlow: boolean;
}

/**
 * A parsed YAML file that can be edited without disturbing its text: {@link YamlEdit.setScalar}
 * rewrites one scalar's source token, and {@link YamlEdit.render} prints every other byte as it
 * was. Changes of structure go through {@link YamlEdit.document}, which re-renders the file
 * (comments kept, layout normalised).
 */
export interface YamlEdit {
  /** The document, with `srcToken` on every node. */
  readonly document: Document.Parsed;
  /** Every scalar that is a mapping value or a sequence item, depth first in document order. */
  scalars(): Iterable<YamlScalarSite>;
  /** Replaces a scalar's text with `value` (quoted when needed); false when it has no source text to replace. */
  setScalar(site: YamlScalarSite, value: string): boolean;
  /** The file: the original text with scalar edits, or the re-rendered document after structural edits. */
  render(options?: { readonly restructured?: boolean }): string;
}

/**
 * Parses one YAML document for editing.
 *
 * @throws ConfigParseError naming `file`, line and column of the first syntax error (or of a second document).
 */
export function parseYamlForEdit(text: string, file: string): YamlEdit {
  const lineCounter = new LineCounter();
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const [document, second] = [...new Composer({ keepSourceTokens: true }).compose(tokens, true, text.length)];
  // compose(..., forceDoc = true) yields a document even for empty text.
  if (!document) throw new ConfigParseError(file, 1, 1, 'no YAML document');
  const error =
    document.errors[0] ??
    (second && {
      pos: second.range,
      message: 'the file holds more than one YAML document; config files hold one',
    });
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw new ConfigParseError(file, line, col, error.message);
  }
  return {
    document,
    scalars: () => scalarSites(document.contents, [], false, false),
    setScalar(site, value) {
      const token = site.scalar.srcToken;
      if (!token) return false;
      // A block scalar (| or >) would keep a trailing newline in the value; write the envelope inline.
      const block = site.scalar.type === 'BLOCK_LITERAL' || site.scalar.type === 'BLOCK_FOLDED';
      CST.setScalarValue(token, value, {
        afterKey: site.afterKey,
        inFlow: site.inFlow,
        type: block ? 'PLAIN' : undefined,
      });
      site.scalar.value = value;
      return true;
    },
    render: (options = {}) =>
      options.restructured
        ? document.toString({ lineWidth: 0 })
        : tokens.map((token) => CST.stringify(token)).join(''),
  };
}

function* scalarSites(
  node: unknown,
  path: readonly string[],
  afterKey: boolean,
  inFlow: boolean,
): Generator<YamlScalarSite> {
  if (isMap(node)) {
    for (const pair of node.items) {
      // Only scalar keys name a config path; complex keys cannot appear in one.
      if (isScalar(pair.key))
        yield* scalarSites(pair.value, [...path, String(pair.key.value)], true, inFlow || node.flow === true);
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      yield* scalarSites(item, [...path, String(index)], false, inFlow || node.flow === true);
    }
  } else if (isScalar(node)) {
    yield { scalar: node, path: path.join('.'), afterKey, inFlow };
  }
}
