/** A generated plugin manifest, as written to `trellis.plugin.json`. */
export interface GeneratedManifest {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly main: string;
  readonly platform: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly optionalDependencies: Readonly<Record<string, string>>;
}

/** A small seedable PRNG (mulberry32) returning floats in [0, 1). */
export function createRandom(seed: number): () => number;

/**
 * The manifests of `count` generated plugins named `p00001`…, each depending only on earlier
 * plugins (no cycles), mostly on a few hubs, with ranges their versions satisfy.
 */
export function generateManifests(count: number, seed?: number): GeneratedManifest[];

/** Writes `count` generated plugin folders under `dir`: `trellis.plugin.json` and `index.js` each. */
export function generateFixtureTree(dir: string, count: number, seed?: number): Promise<void>;
