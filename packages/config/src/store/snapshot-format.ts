import { createHash } from 'node:crypto';
import { posix, win32 } from 'node:path';
import { parseJsonText } from '@trellis/core';

/** The `format` marker every snapshot file carries. */
export const SNAPSHOT_FORMAT = 'trellis-config-snapshot';

/** The snapshot file layout version this code writes and reads. */
export const SNAPSHOT_FORMAT_VERSION = 1;

/** One backup of a set of configuration files, as stored by {@link SnapshotStore}. */
export interface Snapshot {
  /** `YYYYMMDDTHHmmssSSSZ-<4 hex>`; ids sort in time order. */
  readonly id: string;
  /** When the snapshot was taken, in epoch milliseconds. */
  readonly createdAt: number;
  /** A short human description, e.g. "before migrate to v3". */
  readonly label: string;
  /** File name relative to the config directory → full file content. */
  readonly files: Readonly<Record<string, string>>;
  /** Free-form JSON facts about the snapshot (who, why, config version...). */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** A snapshot serialised by {@link encodeSnapshot}. */
export interface EncodedSnapshot {
  /** The snapshot as it reads back: `meta` reduced to what JSON keeps. */
  readonly snapshot: Snapshot;
  /** The file content. */
  readonly text: string;
  /** `sha256:<hex>` of `JSON.stringify(body)`. */
  readonly checksum: string;
}

/** What {@link decodeSnapshot} found: the verified snapshot, or why the file is refused. */
export type DecodedSnapshot =
  | { readonly ok: true; readonly snapshot: Snapshot; readonly checksum: string }
  | { readonly ok: false; readonly problem: string };

/**
 * Serialises a snapshot as
 * `{"format":"trellis-config-snapshot","formatVersion":1,"checksum":"sha256:<hex>","body":{...}}`,
 * where the checksum covers `JSON.stringify(body)`. Throws a plain `Error` when the snapshot is
 * not storable (a file name that leaves the config directory, content that is not a string).
 */
export function encodeSnapshot(snapshot: Snapshot): EncodedSnapshot {
  const { id, createdAt, label, files, meta } = snapshot;
  // Round-tripped through JSON so the body hashed here is exactly the body read back later.
  const body = JSON.parse(JSON.stringify({ id, createdAt, label, files, meta })) as Record<string, unknown>;
  const problem = bodyProblem(body, id);
  if (problem) throw new Error(problem);
  const checksum = checksumOf(body);
  const envelope = { format: SNAPSHOT_FORMAT, formatVersion: SNAPSHOT_FORMAT_VERSION, checksum, body };
  return { snapshot: body as unknown as Snapshot, text: `${JSON.stringify(envelope, null, 2)}\n`, checksum };
}

/**
 * Parses and verifies a snapshot file's text: JSON syntax (a truncated file fails here), the
 * format marker and version, the checksum over the body, and the body's shape, including that
 * its id is `expectedId` and no file name leaves the config directory.
 */
export function decodeSnapshot(text: string, expectedId: string): DecodedSnapshot {
  if (text.trim() === '') return { ok: false, problem: 'the file is empty' };
  // parseJsonText never quotes the text: a snapshot holds config files, which may hold secrets.
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { problem, line, column } = parsed.error;
    return {
      ok: false,
      problem: `it is not valid JSON (truncated or garbled): ${problem} at line ${line}, column ${column}`,
    };
  }
  const envelope: unknown = parsed.value;
  if (!isRecord(envelope) || envelope.format !== SNAPSHOT_FORMAT) {
    return { ok: false, problem: `it is not a ${SNAPSHOT_FORMAT} file (no "format": "${SNAPSHOT_FORMAT}")` };
  }
  if (envelope.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    return {
      ok: false,
      problem: `its formatVersion ${JSON.stringify(envelope.formatVersion)} is not supported (expected ${SNAPSHOT_FORMAT_VERSION})`,
    };
  }
  const { checksum, body } = envelope;
  if (typeof checksum !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(checksum)) {
    return { ok: false, problem: 'its checksum is missing or is not "sha256:<64 hex digits>"' };
  }
  if (!isRecord(body)) return { ok: false, problem: 'it has no body object' };
  const actual = checksumOf(body);
  if (actual !== checksum) {
    return {
      ok: false,
      problem: `checksum mismatch: the file records ${checksum} but its body hashes to ${actual}`,
    };
  }
  const problem = bodyProblem(body, expectedId);
  if (problem) return { ok: false, problem };
  return { ok: true, snapshot: body as unknown as Snapshot, checksum };
}

/** `sha256:<hex>` of `JSON.stringify(body)`. */
function checksumOf(body: Record<string, unknown>): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
}

/** Why `body` is not a valid snapshot body, or `undefined` when it is. */
function bodyProblem(body: Record<string, unknown>, expectedId: string): string | undefined {
  if (body.id !== expectedId) return `its body names id ${JSON.stringify(body.id)}, not "${expectedId}"`;
  if (typeof body.createdAt !== 'number' || !Number.isFinite(body.createdAt)) {
    return 'its createdAt is not a number';
  }
  if (typeof body.label !== 'string') return 'its label is not a string';
  if (!isRecord(body.meta)) return 'its meta is not an object';
  if (!isRecord(body.files)) return 'its files is not an object';
  for (const [name, content] of Object.entries(body.files)) {
    if (!isContainedPath(name))
      return `file name ${JSON.stringify(name)} is not a path inside the config directory`;
    if (typeof content !== 'string') return `the content of file "${name}" is not a string`;
  }
  return undefined;
}

/** True for a relative path that cannot leave its base directory, on POSIX or Windows. */
function isContainedPath(name: string): boolean {
  if (name === '' || name.includes('\0') || posix.isAbsolute(name) || win32.isAbsolute(name)) return false;
  // `C:x` is relative to drive C's working directory on Windows: not inside ours.
  if (/^[a-z]:/i.test(name)) return false;
  return !name.split(/[\\/]/).includes('..');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
