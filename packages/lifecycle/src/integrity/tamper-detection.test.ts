import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { signPlugin } from './sign-plugin.js';
import { generateSigningKey } from './signing-key.js';
import { verifyPlugin } from './verify-plugin.js';

const key = generateSigningKey();
const policy = { trustedKeys: { [key.keyId]: key.publicKey } };
// Sizes around the 64 KB read chunk, so a change in a later chunk is covered too.
const FILES: Record<string, Buffer> = {
  'trellis.plugin.json': Buffer.from(
    JSON.stringify({ name: 'billing', version: '1.2.0', platform: '^0.1.0' }),
  ),
  'lib/index.js': Buffer.from('export default function start() { return 42; }\n'),
  'lib/one.bin': Buffer.from([7]),
  'vendor/dep/big.js': Buffer.alloc(64 * 1024 + 100, 'a'),
  'assets/exact-chunk.bin': Buffer.alloc(64 * 1024, 1),
};
const paths = Object.keys(FILES);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-tamper-'));
  for (const [path, content] of Object.entries(FILES)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await signPlugin(dir, { privateKey: key.privateKey });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tamper detection', () => {
  it('verifies the untouched plugin', async () => {
    expect(await verifyPlugin(dir, policy)).toMatchObject({ status: 'signed', files: paths.length });
  });

  it('detects any single-byte change to any file, naming that file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (path, position, delta) => {
          const original = FILES[path] as Buffer;
          const changed = Buffer.from(original);
          const offset = position % changed.length;
          changed[offset] = ((changed[offset] as number) + delta) % 256;
          await writeFile(join(dir, path), changed);
          try {
            await expect(verifyPlugin(dir, policy)).rejects.toMatchObject({
              code: 'PLUGIN_FILE_TAMPERED',
              details: { modified: [path], missing: [], added: [] },
            });
          } finally {
            await writeFile(join(dir, path), original);
          }
        },
      ),
      { numRuns: 60 },
    );
    // The restore really restored: the property did not pass because the plugin stayed broken.
    expect(await readFile(join(dir, 'lib', 'index.js'))).toEqual(FILES['lib/index.js']);
    expect(await verifyPlugin(dir, policy)).toMatchObject({ status: 'signed' });
  });
});
