import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from './snapshot-format.js';

const ID = '20250314T092653589Z-3fa0';
const SNAPSHOT: Snapshot = {
  id: ID,
  createdAt: Date.UTC(2025, 2, 14, 9, 26, 53, 589),
  label: 'before migrate',
  files: { 'default.yaml': 'port: 8080\n', 'env/production.yaml': 'port: 80\n' },
  meta: { version: 3, by: 'ops' },
};

/** An envelope with a correct checksum around an arbitrary body. */
function envelopeText(body: unknown, overrides: Record<string, unknown> = {}): string {
  const checksum = `sha256:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
  return JSON.stringify({
    format: 'trellis-config-snapshot',
    formatVersion: 1,
    checksum,
    body,
    ...overrides,
  });
}

function problemOf(text: string): string {
  const decoded = decodeSnapshot(text, ID);
  return decoded.ok ? '(no problem)' : decoded.problem;
}

describe('encodeSnapshot', () => {
  it('writes the format marker, version, a sha256 checksum of JSON.stringify(body), and the body', () => {
    const { text, checksum } = encodeSnapshot(SNAPSHOT);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['format', 'formatVersion', 'checksum', 'body']);
    expect(parsed).toMatchObject({
      format: 'trellis-config-snapshot',
      formatVersion: 1,
      checksum,
      body: SNAPSHOT,
    });
    const expected = createHash('sha256').update(JSON.stringify(SNAPSHOT)).digest('hex');
    expect(checksum).toBe(`sha256:${expected}`);
  });

  it('keeps only what JSON represents in meta, and returns the snapshot as it will read back', () => {
    const when = new Date(0);
    const { snapshot } = encodeSnapshot({ ...SNAPSHOT, meta: { when, skipped: undefined } });
    expect(snapshot.meta).toEqual({ when: '1970-01-01T00:00:00.000Z' });
  });

  it.each([
    ['../outside.yaml'],
    ['a/../../outside.yaml'],
    ['/etc/passwd'],
    ['C:\\config.yaml'],
    ['C:config.yaml'],
    ['..\\outside.yaml'],
    [''],
  ])('refuses the file name %j, which leaves the config directory', (name) => {
    expect(() => encodeSnapshot({ ...SNAPSHOT, files: { [name]: 'x' } })).toThrow('is not a path inside');
  });
});

describe('decodeSnapshot', () => {
  it('returns the snapshot and checksum of what encodeSnapshot wrote', () => {
    const { text, checksum } = encodeSnapshot(SNAPSHOT);
    expect(decodeSnapshot(text, ID)).toEqual({ ok: true, snapshot: SNAPSHOT, checksum });
  });

  it('refuses a body altered after the checksum was taken', () => {
    const text = encodeSnapshot(SNAPSHOT).text.replace('port: 8080', 'port: 9090');
    expect(problemOf(text)).toMatch(/^checksum mismatch: the file records sha256:[0-9a-f]{64} but/);
  });

  it('refuses an empty file', () => {
    expect(problemOf(' \n')).toBe('the file is empty');
  });

  it('refuses a truncated file', () => {
    const { text } = encodeSnapshot(SNAPSHOT);
    expect(problemOf(text.slice(0, text.length / 2))).toContain('not valid JSON (truncated or garbled)');
  });

  it.each([
    ['an array', '[]'],
    ['another format', JSON.stringify({ format: 'something-else', formatVersion: 1 })],
  ])('refuses %s', (_what, text) => {
    expect(problemOf(text)).toContain('is not a trellis-config-snapshot file');
  });

  it('refuses an unknown format version', () => {
    expect(problemOf(envelopeText(SNAPSHOT, { formatVersion: 2 }))).toContain(
      'formatVersion 2 is not supported',
    );
  });

  it.each([
    ['missing', undefined],
    ['another algorithm', 'md5:0123'],
  ])('refuses a checksum that is %s', (_what, checksum) => {
    expect(problemOf(envelopeText(SNAPSHOT, { checksum }))).toContain('checksum is missing or is not');
  });

  it('refuses a file without a body', () => {
    expect(problemOf(envelopeText(SNAPSHOT, { body: 'text' }))).toBe('it has no body object');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['another id', { id: '20250101T000000000Z-0000' }, 'its body names id "20250101T000000000Z-0000"'],
    ['a createdAt that is not a number', { createdAt: 'yesterday' }, 'createdAt is not a number'],
    ['a label that is not a string', { label: 7 }, 'label is not a string'],
    ['meta that is not an object', { meta: [] }, 'meta is not an object'],
    ['files that is not an object', { files: null }, 'files is not an object'],
    [
      'a file name outside the config directory',
      { files: { '../x': 'y' } },
      'file name "../x" is not a path',
    ],
    [
      'file content that is not a string',
      { files: { 'a.yaml': 1 } },
      'content of file "a.yaml" is not a string',
    ],
  ])('refuses a checksummed body with %s', (_what, change, problem) => {
    expect(problemOf(envelopeText({ ...SNAPSHOT, ...change }))).toContain(problem);
  });
});
