import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type YAMLMap,
} from 'yaml';
import { ConfigParseError } from '../errors.js';
import type { LayerValues, Origin } from './origin.js';
import { setOwn } from './plain-object.js';

/** The file and layer a parsed document belongs to, and how to turn offsets into lines. */
export interface YamlTreeSource {
  readonly file: string;
  readonly layer: Origin['layer'];
  readonly lineCounter: LineCounter;
}

/**
 * Converts a parsed YAML (or JSON) document whose top level is a mapping into values plus the
 * origin (`file:line:column` of the value node) of every leaf path. Lists are one leaf, and so is
 * an empty mapping. Aliases are followed, so their leaves point at the anchored value.
 *
 * @throws {@link ConfigParseError} when the top level is not a mapping, for a key that is not a
 * plain string, number or boolean, for the key `__proto__`, and for an alias to an unknown anchor
 * or inside the value it refers to.
 */
export function readYamlTree(doc: Document.Parsed, source: YamlTreeSource): LayerValues {
  const root = doc.contents;
  if (root === null) return { values: {}, origins: new Map() };
  if (!isMap(root))
    throw new ConfigParseError(source.file, 1, 1, 'expected a mapping of settings at the top level');
  return new TreeReader(doc, source).read(root);
}

class TreeReader {
  private readonly origins = new Map<string, Origin>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly source: YamlTreeSource,
  ) {}

  read(root: YAMLMap): LayerValues {
    return { values: this.mapping(root, '', []), origins: this.origins };
  }

  /** Values of a non-empty mapping, recording the origin of each leaf beneath it. */
  private mapping(node: YAMLMap, path: string, ancestors: readonly Node[]): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    const inside = [...ancestors, node];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = this.keyText(keyNode, node);
      const childPath = path === '' ? key : `${path}.${key}`;
      const child = this.resolve(pair.value as Node | null, inside);
      if (child === null) {
        // `key:` with nothing after it (explicit `? key` form) is null, located at the key.
        setOwn(values, key, null);
        this.origins.set(childPath, this.origin(keyNode ?? node));
      } else if (isMap(child) && child.items.length > 0) {
        setOwn(values, key, this.mapping(child, childPath, inside));
      } else {
        this.check(child, inside);
        this.origins.set(childPath, this.origin(child));
        setOwn(values, key, child.toJS(this.doc));
      }
    }
    return values;
  }

  /** Validates keys and aliases inside a leaf (a list, or a mapping inside a list). */
  private check(node: Node, ancestors: readonly Node[]): void {
    const inside = [...ancestors, node];
    if (isSeq(node)) for (const item of node.items) this.checkChild(item as Node | null, inside);
    if (isMap(node)) {
      for (const pair of node.items) {
        this.keyText(pair.key as Node | null, node);
        this.checkChild(pair.value as Node | null, inside);
      }
    }
  }

  private checkChild(node: Node | null, ancestors: readonly Node[]): void {
    const resolved = this.resolve(node, ancestors);
    if (resolved) this.check(resolved, ancestors);
  }

  /** Follows an alias to its anchored node; other nodes are returned as they are. */
  private resolve(node: Node | null, ancestors: readonly Node[]): Node | null {
    if (!isAlias(node)) return node;
    const target = node.resolve(this.doc);
    if (!target)
      return this.fail(node, `alias *${node.source} refers to no anchor &${node.source} before it`);
    if (ancestors.includes(target))
      return this.fail(node, `alias *${node.source} is inside the value it refers to`);
    return target;
  }

  private keyText(key: Node | null, map: Node): string {
    if (!isScalar(key) || !isPlainKey(key.value)) {
      return this.fail(key ?? map, 'expected a plain key (a string, number or boolean)');
    }
    const text = String(key.value);
    if (text === '__proto__') return this.fail(key, 'the key "__proto__" is not allowed');
    return text;
  }

  private origin(node: Node): Origin {
    const { line, col } = this.source.lineCounter.linePos(node.range?.[0] ?? 0);
    return { layer: this.source.layer, source: this.source.file, line, column: col };
  }

  private fail(node: Node, problem: string): never {
    const { line, column } = this.origin(node);
    throw new ConfigParseError(this.source.file, line ?? 1, column ?? 1, problem);
  }
}

function isPlainKey(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
