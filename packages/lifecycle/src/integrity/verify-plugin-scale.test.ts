import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signPlugin } from './sign-plugin.js';
import { generateSigningKey } from './signing-key.js';
import { verifyPlugin } from './verify-plugin.js';

const key = generateSigningKey();
const PACKAGES = 60;
const FILES_PER_PACKAGE = 50;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-scale-'));
  await writeFile(
    join(dir, 'trellis.plugin.json'),
    JSON.stringify({ name: 'big', version: '1.0.0', platform: '^0.1.0' }),
  );
  for (let p = 0; p < PACKAGES; p += 1) {
    const folder = join(dir, 'vendor', `dep-${p}`);
    await mkdir(folder, { recursive: true });
    await Promise.all(
      Array.from({ length: FILES_PER_PACKAGE }, (_, f) =>
        writeFile(join(folder, `file-${f}.js`), `module.exports = ${p * 1000 + f};\n`.repeat(40)),
      ),
    );
  }
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('verifyPlugin at scale', () => {
  it('signs and verifies a plugin of 3,000 files in well under a few seconds', async () => {
    await signPlugin(dir, { privateKey: key.privateKey });

    const started = performance.now();
    const result = await verifyPlugin(dir, { trustedKeys: { [key.keyId]: key.publicKey } });
    const elapsed = performance.now() - started;

    expect(result).toMatchObject({ status: 'signed', files: PACKAGES * FILES_PER_PACKAGE + 1 });
    // About 200 ms on a 2-core machine; the bound is loose so that only a loss of parallelism or
    // a per-file cost blow-up (a sync read, a stream per file under coverage) fails it.
    expect(elapsed).toBeLessThan(3_000);
  }, 30_000);
});
