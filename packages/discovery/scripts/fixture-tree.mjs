// Builds folders of generated plugins for benchmarks and scale tests: realistic dependency graphs
// (most edges go to a few hub plugins, as with logging, database or HTTP plugins), deterministic
// for a seed so two runs measure the same tree.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How many of the earliest plugins act as hubs that most dependencies point at. */
const HUBS = 20;
/** Share of dependencies that point at a hub rather than any earlier plugin. */
const HUB_SHARE = 0.7;
/** Weights of 0, 1, 2, 3 and 4 required dependencies (mean 2.4). */
const DEPENDENCY_COUNT_WEIGHTS = [10, 15, 25, 25, 25];
/** Weights of 0, 1 and 2 optional dependencies (mean 0.5). */
const OPTIONAL_COUNT_WEIGHTS = [60, 30, 10];

// definePlugin() returns its definition frozen and branded with this registered symbol. Fixtures
// write that value out so they load without @trellis/core being resolvable from a temp folder.
const ENTRY = `// Generated fixture plugin: what definePlugin({}) returns.
export const plugin = Object.freeze({ [Symbol.for('@trellis/core.Plugin')]: true });
`;

/**
 * A small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence everywhere.
 *
 * @param {number} seed
 * @returns {() => number} a function returning floats in [0, 1)
 */
export function createRandom(seed) {
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
 * The manifests of `count` generated plugins, named `p00001`…, each depending only on earlier
 * plugins (so the graph has no cycle) with ranges their versions satisfy.
 *
 * @param {number} count
 * @param {number} [seed]
 * @returns {Array<{ name: string, version: string, description: string, main: string, platform: string,
 *   dependencies: Record<string, string>, optionalDependencies: Record<string, string> }>}
 */
export function generateManifests(count, seed = 1) {
  const random = createRandom(seed);
  const int = (below) => Math.floor(random() * below);
  const width = Math.max(5, String(count).length);
  const manifests = [];
  for (let i = 0; i < count; i++) {
    const name = `p${String(i + 1).padStart(width, '0')}`;
    const version = `1.${int(10)}.${int(10)}`;
    const dependencies = pickDependencies(manifests, weighted(random, DEPENDENCY_COUNT_WEIGHTS), random, {});
    const optionalDependencies = pickDependencies(
      manifests,
      weighted(random, OPTIONAL_COUNT_WEIGHTS),
      random,
      dependencies,
    );
    manifests.push({
      name,
      version,
      description: `Generated fixture plugin ${i + 1} of ${count}`,
      main: 'index.js',
      platform: '^0.1.0',
      dependencies,
      optionalDependencies,
    });
  }
  return manifests;
}

/**
 * Writes `count` plugin folders under `dir` (created if needed), each with a `trellis.plugin.json`
 * from {@link generateManifests} and an `index.js` exporting a trivial plugin.
 *
 * @param {string} dir
 * @param {number} count
 * @param {number} [seed]
 * @returns {Promise<void>}
 */
export async function generateFixtureTree(dir, count, seed = 1) {
  const manifests = generateManifests(count, seed);
  await mkdir(dir, { recursive: true });
  // Bounded batches: 10,000 folders at once would exhaust file descriptors.
  for (let start = 0; start < manifests.length; start += 200) {
    await Promise.all(
      manifests.slice(start, start + 200).map(async (manifest) => {
        const folder = join(dir, manifest.name);
        await mkdir(folder, { recursive: true });
        await writeFile(join(folder, 'trellis.plugin.json'), `${JSON.stringify(manifest, null, 2)}\n`);
        await writeFile(join(folder, 'index.js'), ENTRY);
      }),
    );
  }
}

function weighted(random, weights) {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let roll = random() * total;
  for (let i = 0; i < weights.length; i++) {
    roll -= weights[i];
    if (roll < 0) return i;
  }
  return weights.length - 1;
}

function pickDependencies(earlier, wanted, random, taken) {
  const picked = {};
  const hubs = Math.min(HUBS, earlier.length);
  // A few attempts per wanted dependency: early plugins have few candidates to choose from.
  for (let attempt = 0; attempt < wanted * 4 && Object.keys(picked).length < wanted; attempt++) {
    if (earlier.length === 0) break;
    const pool = random() < HUB_SHARE ? hubs : earlier.length;
    const target = earlier[Math.floor(random() * pool)];
    if (target.name in picked || target.name in taken) continue;
    picked[target.name] = satisfiedRange(target.version, random);
  }
  return picked;
}

function satisfiedRange(version, random) {
  const [major, minor, patch] = version.split('.');
  const roll = random();
  if (roll < 0.5) return `^${major}.${minor}.0`;
  if (roll < 0.75) return `^${major}.0.0`;
  if (roll < 0.85) return `~${major}.${minor}.${Math.floor(random() * (Number(patch) + 1))}`;
  if (roll < 0.95) return `>=${major}.0.0 <${Number(major) + 1}.0.0`;
  return '*';
}
