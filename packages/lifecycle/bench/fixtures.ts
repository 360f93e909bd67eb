// Generated plugins for the bench: dependency graphs, in-memory definitions, plugin folders on disk
// (in the OS temp folder) and the trivial scripts the raw worker / child process baselines run.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definePlugin, type Plugin, type PluginManifest } from '@trellis/core';

/** Share of generated plugins with no dependency at all. */
const ROOT_SHARE = 0.1;
/** Every non-root plugin depends on 1 to this many earlier plugins. */
const MAX_DEPENDENCIES = 3;

/** The lifecycle package folder (`packages/lifecycle`). */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A small seedable PRNG (mulberry32): the same seed gives the same graph on every run. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Manifests of `count` plugins named `p0001`…: about 10% are roots, every other one depends on 1–3
 * earlier plugins picked at random, so they start in several waves and the graph has no cycle.
 */
export function generateManifests(count: number, seed = 1): PluginManifest[] {
  const random = createRandom(seed);
  const width = Math.max(4, String(count).length);
  const names: string[] = [];
  const manifests: PluginManifest[] = [];
  for (let i = 0; i < count; i++) {
    const name = `p${String(i + 1).padStart(width, '0')}`;
    const dependencies: Record<string, string> = {};
    if (i > 0 && random() >= ROOT_SHARE) {
      const wanted = 1 + Math.floor(random() * MAX_DEPENDENCIES);
      for (let k = 0; k < wanted; k++) dependencies[names[Math.floor(random() * i)] as string] = '^1.0.0';
    }
    names.push(name);
    manifests.push({ name, version: '1.0.0', platform: '^0.1.0', main: 'index.mjs', dependencies });
  }
  return manifests;
}

/** A trivial plugin as `definePlugin` returns it: `setup`, `start` and `stop` do nothing. */
export function trivialPlugin(): Plugin {
  return definePlugin({ setup() {}, start() {}, stop() {} });
}

// The trivial plugin as a file: core's registered brand set by hand, so it imports nothing.
const TRIVIAL_ENTRY = `// Generated bench plugin: what definePlugin({ setup, start, stop }) returns.
export const plugin = Object.freeze({
  [Symbol.for('@trellis/core.Plugin')]: true,
  setup() {},
  start() {},
  stop() {},
});
`;

// The trivial plugin with a health hook, for isolated cold starts and memory.
const BARE_ENTRY = `// Bench plugin: no-op hooks and a passing health check; imports nothing.
export const plugin = Object.freeze({
  [Symbol.for('@trellis/core.Plugin')]: true,
  setup() {},
  start() {},
  stop() {},
  health: () => ({ status: 'pass' }),
});
`;

// The bare plugin plus one route, for round trips through the router proxy.
const PING_ENTRY = `// Bench plugin: serves GET /ping; imports nothing.
const HTTP_ROUTER = Symbol.for('@trellis/core.HttpRouter');
export const plugin = Object.freeze({
  [Symbol.for('@trellis/core.Plugin')]: true,
  setup(ctx) {
    ctx.resolve(HTTP_ROUTER).route({ method: 'GET', path: '/ping', handler: () => ({ status: 200, body: 'pong' }) });
  },
  start() {},
  stop() {},
  health: () => ({ status: 'pass' }),
});
`;

const WORKER_ECHO_SCRIPT = `// Raw worker baseline: says ready, then echoes every message.
import { parentPort } from 'node:worker_threads';
parentPort.on('message', (message) => parentPort.postMessage(message));
parentPort.postMessage('ready');
`;

const PROCESS_ECHO_SCRIPT = `// Raw child process baseline: says ready, then echoes every IPC message.
process.on('message', (message) => process.send(message));
process.on('disconnect', () => process.exit(0));
process.send('ready');
`;

/** Writes a plugin folder: `index.mjs` with `source` and a package.json holding the manifest under `trellis`. */
async function writePlugin(dir: string, manifest: PluginManifest, source: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const pkg = {
    name: manifest.name,
    version: manifest.version,
    private: true,
    type: 'module',
    trellis: manifest,
  };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  await writeFile(join(dir, manifest.main ?? 'index.js'), source);
}

/** Writes one trivial plugin folder per manifest under `root` (created if needed). */
export async function writePluginTree(root: string, manifests: readonly PluginManifest[]): Promise<void> {
  // Bounded batches: thousands of folders at once would exhaust file descriptors.
  for (let start = 0; start < manifests.length; start += 200) {
    await Promise.all(
      manifests
        .slice(start, start + 200)
        .map((manifest) => writePlugin(join(root, manifest.name), manifest, TRIVIAL_ENTRY)),
    );
  }
}

/** A plugin folder with its manifest. */
export interface PluginFolder {
  readonly dir: string;
  readonly manifest: PluginManifest;
}

/** The single plugins and scripts the boundary and memory sections load. */
export interface BoundaryFixtures {
  /** No-op hooks and a health check, no imports. */
  readonly bare: PluginFolder;
  /** `bare` plus a `GET /ping` route. */
  readonly ping: PluginFolder;
  /** The `echo` test fixture: imports @trellis/core, serves a route that uses the cache. */
  readonly echo: PluginFolder;
  /** The raw worker baseline's script (ready, then echo). */
  readonly workerScript: string;
  /** The raw child process baseline's script (ready, then echo over IPC). */
  readonly processScript: string;
}

/** Writes the boundary fixtures under `root` and reads the `echo` test fixture's manifest. */
export async function writeBoundaryFixtures(root: string): Promise<BoundaryFixtures> {
  const manifest = (name: string, permissions: string[] = []): PluginManifest => ({
    name,
    version: '1.0.0',
    platform: '^0.1.0',
    main: 'index.mjs',
    permissions,
  });
  const bare = { dir: join(root, 'bare'), manifest: manifest('bare') };
  const ping = { dir: join(root, 'ping'), manifest: manifest('ping', ['http:route']) };
  await writePlugin(bare.dir, bare.manifest, BARE_ENTRY);
  await writePlugin(ping.dir, ping.manifest, PING_ENTRY);
  const workerScript = join(root, 'worker-echo.mjs');
  const processScript = join(root, 'process-echo.mjs');
  await writeFile(workerScript, WORKER_ECHO_SCRIPT);
  await writeFile(processScript, PROCESS_ECHO_SCRIPT);
  const echoDir = join(PACKAGE_DIR, 'test-fixtures', 'plugins', 'echo');
  const echoPackage = JSON.parse(await readFile(join(echoDir, 'package.json'), 'utf8')) as {
    trellis: PluginManifest;
  };
  return { bare, ping, echo: { dir: echoDir, manifest: echoPackage.trellis }, workerScript, processScript };
}
