// @trellis/config benchmarks against convict and node-config (`config`), the libraries a Node team
// would otherwise pick. Run with `pnpm build && pnpm --filter @trellis/config bench`.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSuite } from '@trellis/bench';
import { type Config, loadConfig, validateConfig } from '@trellis/config';
import convict from 'convict';
import { stringify } from 'yaml';
import { z } from 'zod';

/** A schema of `sections` × `keys` numeric settings, in zod and in convict's format. */
function schemas(sections: number, keys: number) {
  const zodShape: Record<string, z.ZodType> = {};
  const convictShape: Record<string, Record<string, { format: string; default: number; env?: string }>> = {};
  const values: Record<string, Record<string, number>> = {};
  for (let s = 0; s < sections; s++) {
    const section: Record<string, z.ZodType> = {};
    convictShape[`section${s}`] = {};
    values[`section${s}`] = {};
    for (let k = 0; k < keys; k++) {
      section[`key${k}`] = z.number().int().min(0).default(k);
      (convictShape[`section${s}`] as Record<string, unknown>)[`key${k}`] = {
        format: 'nat',
        default: k,
        env: `CONVICT_SECTION${s}_KEY${k}`,
      };
      (values[`section${s}`] as Record<string, number>)[`key${k}`] = k + 1;
    }
    zodShape[`section${s}`] = z.object(section).strict().prefault({});
  }
  const cache = z
    .object({ ttlMs: z.number().default(5_000) })
    .strict()
    .prefault({});
  convictShape.cache = { ttlMs: { format: 'nat', default: 5_000 } };
  values.cache = { ttlMs: 5_000 };
  return { zod: z.object({ ...zodShape, cache }).strict(), convict: convictShape, values };
}

function writeConfigDir(values: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-config-bench-'));
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'default.yaml'), stringify(values));
  return dir;
}

const small = schemas(20, 10); // 200 keys
const large = schemas(50, 20); // 1,000 keys
const smallDir = writeConfigDir(small.values);
const largeDir = writeConfigDir(large.values);
const env = { TRELLIS_SECTION1__KEY1: '42', TRELLIS_CACHE__TTL_MS: '5000' };
const convictEnv = { CONVICT_SECTION1_KEY1: '42' };

const trellis: Config<z.output<typeof small.zod>> = await loadConfig({
  schema: small.zod,
  dir: join(smallDir, 'config'),
  envFile: false,
  env,
});
const convictSmall = convict(small.convict as never);
convictSmall.load(small.values);
convictSmall.validate({ allowed: 'strict' });

// node-config reads NODE_CONFIG_DIR once, when first imported.
process.env.NODE_CONFIG_DIR = join(smallDir, 'nodecfg-dir');
mkdirSync(process.env.NODE_CONFIG_DIR);
writeFileSync(join(process.env.NODE_CONFIG_DIR, 'default.json'), JSON.stringify(small.values));
process.env.SUPPRESS_NO_CONFIG_WARNING = '1';
const nodeConfig = (await import('config')).default;

// 50 applied versions for the rollback group.
for (let i = 0; i < 50; i++) trellis.set('cache.ttlMs', 1_000 + i, 'bench');

let sink: unknown;
function keep(value: unknown): void {
  sink = value;
}

await runSuite({
  title: '@trellis/config benchmarks',
  file: 'config.md',
  command: 'pnpm build && pnpm --filter @trellis/config bench',
  groups: [
    {
      title: 'Read one value',
      description:
        'Reading `cache.ttlMs` from a loaded 200-key configuration: convict `get` (baseline), node-config `get`, ' +
        'Trellis typed access (`config.value.cache.ttlMs`, a property read of a frozen object) and `get(path)` ' +
        '(one map lookup).',
      baseline: {
        name: "convict get('cache.ttlMs')",
        fn: () => keep(convictSmall.get('cache.ttlMs' as never)),
      },
      tasks: [
        { name: "node-config get('cache.ttlMs')", fn: () => keep(nodeConfig.get('cache.ttlMs')) },
        { name: 'trellis config.value.cache.ttlMs', fn: () => keep(trellis.value.cache.ttlMs) },
        { name: "trellis config.get('cache.ttlMs')", fn: () => keep(trellis.get('cache.ttlMs')) },
      ],
    },
    {
      title: 'Validate a 200-key configuration',
      description:
        'Schema validation of already-loaded values: convict `validate({ allowed: "strict" })` against the ' +
        'Trellis zod schema with origin-aware problem reporting (a fresh `reload()` re-validates and indexes).',
      baseline: {
        name: 'convict validate (200 keys)',
        fn: () => {
          const c = convict(small.convict as never);
          c.load(small.values);
          c.validate({ allowed: 'strict' });
        },
      },
      tasks: [
        { name: 'zod safeParse alone (200 keys)', fn: () => keep(small.zod.safeParse(small.values)) },
        {
          name: 'trellis validateConfig (200 keys)',
          fn: () =>
            keep(
              validateConfig({
                schema: small.zod,
                values: small.values,
                origins: new Map(),
                secretPatterns: [],
              }),
            ),
        },
      ],
    },
    {
      title: 'Load and validate a 1,000-key configuration from YAML + environment',
      description:
        'From files on disk to a validated config: read and parse the YAML, apply environment variables, validate. ' +
        'convict is given the same parsed YAML (it has no YAML loader of its own) and its env mapping.',
      baseline: {
        name: 'convict load YAML + env + validate (1,000 keys)',
        fn: async () => {
          const { readFile } = await import('node:fs/promises');
          const { parse } = await import('yaml');
          const c = convict(large.convict as never, { env: convictEnv } as never);
          c.load(parse(await readFile(join(largeDir, 'config', 'default.yaml'), 'utf8')));
          c.validate({ allowed: 'strict' });
          keep(c);
        },
      },
      tasks: [
        {
          name: 'trellis loadConfig YAML + env (1,000 keys)',
          fn: async () =>
            keep(await loadConfig({ schema: large.zod, dir: join(largeDir, 'config'), envFile: false, env })),
        },
      ],
    },
    {
      title: 'Roll back to an earlier applied version',
      description:
        'Applying version N-49 of the last 50 applied versions again (re-validated), against a plain reload of ' +
        'unchanged files (the cheapest full re-read).',
      baseline: { name: 'reload (unchanged files)', fn: () => trellis.reload() },
      tasks: [
        {
          name: 'rollback across 50 versions',
          fn: () => {
            const history = trellis.history();
            keep(trellis.rollback((history[0] as { version: number }).version));
          },
        },
      ],
    },
  ],
});

if (sink === undefined) throw new Error('benchmark bodies were optimised away');
