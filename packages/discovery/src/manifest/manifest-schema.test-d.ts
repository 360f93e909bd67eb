// Type tests: `pnpm typecheck` fails if the zod schema's types drift from core's PluginManifest.
import type { PluginActivation, PluginIsolation, PluginManifest } from '@trellis/core';
import type { DiscoveredManifest, PluginManifestInput } from './manifest-schema.js';

// A validated manifest is a PluginManifest, so hosts can pass it where core expects one.
declare const discovered: DiscoveredManifest;
const asManifest: PluginManifest = discovered;
void asManifest;

// A manifest as written (defaults not yet applied) is one too.
declare const input: PluginManifestInput;
const inputAsManifest: PluginManifest = input;
void inputAsManifest;

// Defaults are applied: these fields are never undefined after parsing.
const isolation: PluginIsolation = discovered.isolation;
const activation: PluginActivation = discovered.activation;
const main: string = discovered.main;
const permissions: readonly string[] = discovered.permissions;
const dependencies: Readonly<Record<string, string>> = discovered.dependencies;
void [isolation, activation, main, permissions, dependencies];

// Activation events keep their template-literal type.
if (discovered.activation !== 'eager') {
  const first:
    | `onRoute:${string}`
    | `onService:${string}`
    | `onEvent:${string}`
    | `onCommand:${string}`
    | undefined = discovered.activation[0];
  void first;
}

// @ts-expect-error isolation is one of three names
const badIsolation: DiscoveredManifest['isolation'] = 'thread';
void badIsolation;

// @ts-expect-error an activation event needs a known prefix
const badEvent: PluginManifestInput['activation'] = ['onStart:x'];
void badEvent;

// @ts-expect-error name, version and platform are required as written
const incomplete: PluginManifestInput = { name: 'billing' };
void incomplete;
