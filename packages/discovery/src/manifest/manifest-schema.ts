import semver from 'semver';
import { z } from 'zod';
import { describeValue } from './describe-value.js';

/**
 * A zod error parameter whose message says what was expected and what was found, so every
 * manifest problem reads `expected <what>, got <value>` or, for a missing field, `missing; add <what>`.
 */
function expected(what: string): { error: (issue: z.core.$ZodRawIssue) => string } {
  return {
    error: (issue) =>
      issue.input === undefined
        ? `missing; add ${what}`
        : `expected ${what}, got ${describeValue(issue.input)}`,
  };
}

// npm's rules for new package names: lowercase, URL-safe, optionally scoped, at most 214 characters.
const NAME_PATTERN = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
// `<area>:<action>`, optionally `:<qualifier>` naming what it applies to (a path, a token key).
const PERMISSION_PATTERN = /^[a-z][a-z0-9-]*:(?:\*|[a-z][a-z0-9-]*)(?::\S+)?$/;
const EXPORT_NAME_PATTERN = /^[A-Za-z_$][\w$]*$/;
const ABSOLUTE_PATH = /^(?:[/\\]|[A-Za-z]:)/;
const MAX_TIMER_MS = 2_147_483_647;

const NAME =
  'an npm-style name like "billing" or "@acme/billing" (lowercase letters, digits, "-", ".", "_" or "~", at most 214 characters)';
const VERSION = 'a semver version like "1.2.0"';
const PLATFORM = 'a semver range of the Trellis API like "^0.1.0"';
const RANGE = 'a semver range like "^1.0.0"';
const DEPENDENCIES = 'an object mapping plugin names to semver ranges, like { "auth": "^1.0.0" }';
const PERMISSION =
  'a capability "<area>:<action>" or "<area>:<action>:<qualifier>" like "http:route", "fs:read:./data" or "service:resolve:@acme/billing.Billing" (area and action lowercase, "-" allowed, action may be "*")';
const PERMISSIONS = 'an array of capabilities like ["cache:write", "http:route"]';
const ISOLATION = '"inline", "worker" or "process"';
const EVENT =
  'an activation event "onRoute:<prefix>", "onService:<token>", "onEvent:<name>" or "onCommand:<id>", like "onRoute:/billing"';
const ACTIVATION = '"eager" or a non-empty array of activation events like ["onRoute:/billing"]';
const MAIN = 'a path relative to the manifest folder like "dist/index.js"';
const EXPORT_NAME = 'the name of a JavaScript export like "configSchema"';
const MILLISECONDS = `a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, like 30000`;
const HEALTH = 'an object with optional "intervalMs", "timeoutMs" and "critical"';
const MANIFEST = 'a JSON object with at least "name", "version" and "platform"';

const PluginNameSchema = z
  .string(expected(NAME))
  .max(214, expected(NAME))
  .regex(NAME_PATTERN, expected(NAME));

const semverRange = (what: string) =>
  z
    .string(expected(what))
    .min(1, expected(what))
    .refine((range) => semver.validRange(range) !== null, expected(what));

const dependencyMap = (description: string) =>
  z
    .record(PluginNameSchema, semverRange(RANGE), {
      error: (issue) =>
        issue.code === 'invalid_key'
          ? `expected each key to be ${NAME}, got ${describeValue(issue.input)}`
          : expected(DEPENDENCIES).error(issue),
    })
    .default({})
    .meta({ description, examples: [{ auth: '^1.0.0', '@acme/billing': '~2.3.0' }] });

const milliseconds = (description: string) =>
  z
    .number(expected(MILLISECONDS))
    .int(expected(MILLISECONDS))
    .min(1, expected(MILLISECONDS))
    .max(MAX_TIMER_MS, expected(MILLISECONDS))
    .optional()
    .meta({ description });

const ActivationEventSchema = z
  .templateLiteral(
    [z.enum(['onRoute', 'onService', 'onEvent', 'onCommand']), ':', z.string().min(1)],
    expected(EVENT),
  )
  .meta({ description: 'Start the plugin on the first matching route, service lookup, event or command.' });

const HealthOptionsSchema = z.strictObject(
  {
    intervalMs: milliseconds('How often the host runs the plugin health check, in ms.'),
    timeoutMs: milliseconds('How long one health check may take, in ms.'),
    critical: z
      .boolean(expected('true or false'))
      .optional()
      .meta({ description: 'A failing critical plugin fails platform readiness.' }),
  },
  expected(HEALTH),
);

/**
 * The zod schema of a plugin manifest: `trellis.plugin.json`, or the `trellis` field of a
 * plugin's `package.json`. Strict: an unknown field is a problem, since it is most often a typo.
 *
 * Parsing applies defaults: `main` `index.js`, `isolation` `inline`, `activation` `eager`, and
 * empty `permissions`, `dependencies` and `optionalDependencies`. Every problem message says what
 * was expected and what was found; {@link validateManifest} turns them into a
 * {@link ManifestInvalidError}. `manifest.schema.json` is generated from this schema for editors
 * (see {@link manifestJsonSchema}).
 *
 * @example
 * ```ts
 * const manifest = PluginManifestSchema.parse({ name: 'billing', version: '1.0.0', platform: '^0.1.0' });
 * manifest.activation; // 'eager'
 * ```
 */
export const PluginManifestSchema = z.strictObject(
  {
    $schema: z
      .string(expected('a URL or path of the manifest JSON Schema'))
      .optional()
      .meta({ description: 'Where editors find this JSON Schema; ignored by Trellis.' }),
    name: PluginNameSchema.meta({
      description: 'npm-style plugin name, scoped allowed.',
      examples: ['billing', '@acme/billing'],
    }),
    version: z
      .string(expected(VERSION))
      .refine((version) => semver.valid(version) !== null, expected(VERSION))
      .meta({ description: 'Semver version of the plugin.', examples: ['1.2.0'] }),
    description: z
      .string(expected('a string'))
      .optional()
      .meta({ description: 'One line saying what the plugin does.' }),
    main: z
      .string(expected(MAIN))
      .min(1, expected(MAIN))
      .refine((path) => !ABSOLUTE_PATH.test(path), expected(MAIN))
      .default('index.js')
      .meta({ description: 'Entry file, relative to the manifest folder.', examples: ['dist/index.js'] }),
    platform: semverRange(PLATFORM).meta({
      description: 'Semver range of the Trellis platform API the plugin supports.',
      examples: ['^0.1.0'],
    }),
    dependencies: dependencyMap('Plugin name → semver range; each must be present and is started first.'),
    optionalDependencies: dependencyMap('Plugin name → semver range; started first when present.'),
    permissions: z
      .array(
        z.string(expected(PERMISSION)).regex(PERMISSION_PATTERN, expected(PERMISSION)),
        expected(PERMISSIONS),
      )
      .default([])
      .meta({
        description: 'Capabilities the plugin asks for.',
        examples: [['http:route', 'fs:read:./data', 'service:resolve:@acme/billing.Billing']],
      }),
    isolation: z.enum(['inline', 'worker', 'process'], expected(ISOLATION)).default('inline').meta({
      description:
        "Where the plugin's code runs: the host's event loop, a worker thread, or a child process.",
    }),
    activation: z
      .union(
        [
          z.literal('eager'),
          z.array(ActivationEventSchema, expected(ACTIVATION)).min(1, expected(ACTIVATION)),
        ],
        expected(ACTIVATION),
      )
      .default('eager')
      .meta({
        description: 'When the plugin starts: "eager" at boot, or on the first of a list of events.',
        examples: ['eager', ['onRoute:/billing', 'onCommand:billing.export']],
      }),
    configExport: z
      .string(expected(EXPORT_NAME))
      .regex(EXPORT_NAME_PATTERN, expected(EXPORT_NAME))
      .optional()
      .meta({
        description: "Name of the export holding the plugin's zod config schema, when not on the definition.",
      }),
    health: HealthOptionsSchema.optional().meta({ description: 'Options for the plugin health check.' }),
  },
  expected(MANIFEST),
);

/** A manifest as written: what {@link PluginManifestSchema} accepts, before defaults. */
export type PluginManifestInput = z.input<typeof PluginManifestSchema>;

/**
 * A validated manifest with defaults applied (`main`, `isolation`, `activation`, `permissions`,
 * `dependencies`, `optionalDependencies`). Assignable to core's `PluginManifest`.
 */
export type DiscoveredManifest = z.output<typeof PluginManifestSchema>;
