import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { CONFIG_READER, ConsoleLogger, createPlatform, type Platform } from '@trellis/core';
import { z } from 'zod';
import { createConfigModule } from './config-module.js';
import { loadConfig } from './runtime/load-config.js';
import { CONFIG } from './tokens.js';

let root: string | undefined;
let platform: Platform | undefined;

afterEach(async () => {
  await platform?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

const schema = z.object({ size: z.number().int().min(0).default(1) }).strict();

describe('createConfigModule', () => {
  it('registers the config as CONFIG_READER and CONFIG, and logs applied and rejected changes', async () => {
    root = await mkdtemp(join(tmpdir(), 'trellis-module-'));
    const dir = join(root, 'config');
    await mkdir(dir);
    await writeFile(join(dir, 'default.yaml'), 'size: 2\n');
    const config = await loadConfig({ schema, dir, envFile: false, env: {} });
    const lines: string[] = [];
    platform = createPlatform({
      services: { logger: new ConsoleLogger({ destination: { write: (l) => lines.push(l) } }) },
      modules: [
        createConfigModule({ config, watch: { dir, environment: 'development', envFile: undefined } }),
      ],
    });
    await platform.start();
    expect(platform.resolve(CONFIG_READER).get('size')).toBe(2);
    expect(platform.resolve(CONFIG)).toBe(config);

    config.set('size', 3);
    await writeFile(join(dir, 'default.yaml'), 'size: 1\nbogus: 1\n');
    await config.reload();
    expect(lines.some((l) => l.includes('configuration applied') && l.includes('"paths":["size"]'))).toBe(
      true,
    );
    expect(lines.some((l) => l.includes('configuration change rejected'))).toBe(true);
  });
});
