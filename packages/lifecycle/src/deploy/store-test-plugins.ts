// Writes plugin versions for store and deployer tests: plain ES modules that need nothing from
// node_modules (they live in temp folders), branded the way definePlugin brands.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What a generated plugin version does. */
export interface TestPluginSpec {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly isolation?: 'inline' | 'worker' | 'process';
  /** Written to `<dataDir>/format.txt` at start (a data migration), when set. */
  readonly writesFormat?: string;
  /** Health answer; default `pass`. */
  readonly health?: 'pass' | 'fail';
  /** Throw at start. */
  readonly failsStart?: boolean;
  /** JavaScript properties added to the definition, e.g. `configVersion: 2, configMigrations: [...]`. */
  readonly definition?: string;
  /** Write the config the plugin got to `<dataDir>/config.json` at start. */
  readonly writesConfig?: boolean;
}

/** Writes one plugin version into `<root>/<name>-<version>/` and returns that folder. */
export async function writeTestPlugin(root: string, spec: TestPluginSpec): Promise<string> {
  const dir = join(root, `${spec.name.replace('/', '+')}-${spec.version}`);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'trellis.plugin.json'),
    JSON.stringify({
      name: spec.name,
      version: spec.version,
      platform: '^0.1.0',
      main: 'index.mjs',
      ...(spec.dependencies ? { dependencies: spec.dependencies } : {}),
      ...(spec.isolation ? { isolation: spec.isolation } : {}),
    }),
  );
  const start = [
    spec.failsStart ? "throw new Error('cannot start');" : '',
    spec.writesFormat === undefined
      ? ''
      : `await writeFile(join(ctx.dataDir, 'format.txt'), ${JSON.stringify(spec.writesFormat)});`,
    spec.writesConfig ? `await writeFile(join(ctx.dataDir, 'config.json'), JSON.stringify(ctx.config));` : '',
  ].join('\n');
  await writeFile(
    join(dir, 'index.mjs'),
    `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
export default {
  [Symbol.for('@trellis/core.Plugin')]: true,
  ${spec.definition ?? ''}
  async start(ctx) {
    ${start}
  },
  health() {
    return ${JSON.stringify(spec.health ?? 'pass')};
  },
};
`,
  );
  return dir;
}
