import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseJsonText } from '@trellis/core';
import {
  applyDeployment,
  applyResultView,
  createPluginAdminClient,
  type DeploymentResult,
  generateSigningKey,
  inspectSignature,
  type PluginAdminClient,
  PluginDeployer,
  PluginStore,
  parseTrustPolicy,
  planDeployment,
  planView,
  renderPlan,
  signPlugin,
  type TrustPolicy,
} from '@trellis/lifecycle';
import { type Command, Option } from 'commander';
import { CommandExit } from '../command-exit.js';
import { printOptionsOf } from '../command-group.js';
import { CliJsonFileInvalidError } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { type CliIO, printResult } from '../output.js';

/** How a store command reaches the running app, when one is named (`--url`). */
export type AdminClientOf = (command: Command) => PluginAdminClient | undefined;

const storeOption = () =>
  new Option('--store <dir>', 'the plugin store folder (offline; with --url the app uses its own)')
    .env('TRELLIS_PLUGIN_STORE')
    .default('.trellis-data/plugin-store');
const trustOption = () =>
  new Option(
    '--trust <file>',
    'trust policy, JSON: { "trustedKeys": { "<keyId>": "<public key PEM>" }, "allowUnsigned": false }',
  ).env('TRELLIS_PLUGIN_TRUST');
const fileOption = () => new Option('--file <file>', 'the desired state').default('trellis.plugins.yaml');

/** Options of `upgrade` and `downgrade`. */
interface DeployFlags {
  readonly to?: string;
  readonly config?: string;
}

interface StoreOptions {
  readonly store: string;
  readonly trust?: string;
}

/**
 * `trellis plugins install | uninstall | upgrade | downgrade | rollback | plan | apply | verify |
 * sign | keygen | prune`: plugin store operations. With `--url` the running app performs them
 * live (health gate and automatic rollback included); without it they change the store folder,
 * and an upgrade's health gate runs when the app next starts.
 */
export function addStoreCommands(
  plugins: Command,
  io: CliIO,
  adminClientOf: AdminClientOf,
  remoteOptions: () => readonly Option[],
): void {
  const withStore = (command: Command) => {
    command.addOption(storeOption()).addOption(trustOption());
    for (const option of remoteOptions()) command.addOption(option);
    return command;
  };

  withStore(
    plugins
      .command('install <source>')
      .description(
        'install a plugin from a folder or an npm-pack .tgz (checked for unsafe entries and signatures)',
      )
      .option('--disabled', 'install without starting it')
      .addOption(
        new Option('--isolation <isolation>', 'override its isolation').choices([
          'inline',
          'worker',
          'process',
        ]),
      ),
  ).action(
    async (
      source: string,
      options: { disabled?: boolean; isolation?: 'inline' | 'worker' | 'process' },
      command: Command,
    ) => {
      const body = {
        source: resolve(source),
        ...(options.disabled ? { enabled: false } : {}),
        ...(options.isolation ? { isolation: options.isolation } : {}),
      };
      await deploy(io, command, adminClientOf, 'install', undefined, body, (deployer) =>
        deployer.install(body.source, { actor: cliActor(), ...body }),
      );
    },
  );

  for (const verb of ['upgrade', 'downgrade'] as const) {
    withStore(
      plugins
        .command(`${verb} <name> [source]`)
        .description(
          `${verb} a plugin from a folder, a .tgz, or a version held in the store (--to), with a backup and a health gate`,
        )
        .option('--to <version>', 'a version held in the store (or the version the source must hold)')
        .option(
          '--config <file>',
          'a JSON config document the new version runs with (restored by a rollback)',
        ),
    ).action(async (name: string, source: string | undefined, options: DeployFlags, command: Command) => {
      const target = {
        ...(source === undefined ? {} : { source: resolve(source) }),
        ...(options.to === undefined ? {} : { version: options.to }),
        ...(options.config === undefined ? {} : { config: await readJsonObject(options.config, '--config') }),
      };
      if (source === undefined && options.to === undefined) {
        command.error(`error: give a source or --to <version> for "trellis plugins ${verb} ${name}"`, {
          exitCode: EXIT_CODES.USAGE,
        });
      }
      await deploy(io, command, adminClientOf, verb, name, target, (deployer) =>
        deployer[verb](name, target, { actor: cliActor() }),
      );
    });
  }

  for (const [verb, description] of [
    ['rollback', 'return a plugin to the version (and data) it had before its last upgrade or downgrade'],
    ['uninstall', 'stop and uninstall a plugin; its code, data and config are kept until prune'],
  ] as const) {
    withStore(plugins.command(`${verb} <name>`).description(description)).action(
      async (name: string, _options: unknown, command: Command) => {
        await deploy(io, command, adminClientOf, verb, name, {}, (deployer) =>
          deployer[verb](name, { actor: cliActor() }),
        );
      },
    );
  }

  withStore(
    plugins
      .command('plan')
      .description('show what apply would change to match the desired state')
      .addOption(fileOption()),
  ).action(async (options: { file: string }, command: Command) => {
    const print = printOptionsOf(command);
    const file = resolve(options.file);
    const admin = adminClientOf(command);
    let json: Readonly<Record<string, unknown>>;
    if (admin) json = await admin.desiredState('plan', file);
    else {
      const plan = await planDeployment(await openStore(command), file);
      json = { ...planView(plan) };
    }
    if (print.json) return printResult(io, json, print);
    io.stdout(renderPlanJson(json));
    if ((json.problems as unknown[]).length > 0)
      throw new CommandExit(EXIT_CODES.FAILURE, 'the plan has problems');
  });

  withStore(
    plugins
      .command('apply')
      .description('make the plugins match the desired state (shows the plan first)')
      .addOption(fileOption()),
  ).action(async (options: { file: string }, command: Command) => {
    const print = printOptionsOf(command);
    const file = resolve(options.file);
    const admin = adminClientOf(command) ?? (await runningHost(io, command));
    if (admin) {
      const result = await admin.desiredState('apply', file);
      if (print.json) printResult(io, result, print);
      else
        io.stdout(
          `${renderPlanJson(result.plan as Record<string, unknown>)}Applied ${String(result.applied)} action(s).\n`,
        );
      if (result.failed) throw new CommandExit(EXIT_CODES.FAILURE, 'apply stopped at a failed action');
      return;
    }
    const store = await openStore(command);
    const plan = await planDeployment(store, file);
    if (!print.json) io.stdout(withNewline(renderPlan(plan)));
    const result = await applyDeployment(new PluginDeployer({ store }), plan, {
      actor: cliActor(),
      onAction: (event) => {
        if (print.json || event.type === 'start') return;
        io.stdout(
          `${event.type === 'applied' ? 'done' : 'FAILED'}: ${event.action.kind} ${event.action.name} (${Math.round(event.durationMs)} ms)\n`,
        );
      },
    });
    if (print.json) {
      printResult(io, applyResultView(plan, result), print);
    } else if (plan.actions.length > 0) {
      io.stdout(
        `Applied ${result.applied.length} of ${plan.actions.length} action(s); upgrades are gated when the app next starts.\n`,
      );
    }
    if (result.failed) {
      if (!print.json)
        io.stderr(`${String((result.failed.error as Error).message ?? result.failed.error)}\n`);
      throw new CommandExit(EXIT_CODES.FAILURE, 'apply stopped at a failed action');
    }
  });

  withStore(
    plugins
      .command('verify [names...]')
      .description('check installed plugins against their signatures and the trust policy'),
  ).action(async (names: string[], _options: unknown, command: Command) => {
    const store = await openStore(command);
    const results = await store.verify(names.length > 0 ? names : undefined);
    const rows = results.map(({ plugin, version, result }) => ({
      plugin,
      version,
      status: result instanceof Error ? 'REFUSED' : result.status,
      detail:
        result instanceof Error
          ? `${(result as { code?: string }).code ?? 'ERROR'}: ${result.message}`
          : 'keyId' in result
            ? `key ${result.keyId}`
            : '',
    }));
    printResult(io, printOptionsOf(command).json ? { plugins: rows } : rows, printOptionsOf(command));
    if (rows.some((row) => row.status === 'REFUSED'))
      throw new CommandExit(EXIT_CODES.FAILURE, 'a plugin failed verification');
  });

  plugins
    .command('sign <dir>')
    .description('sign a plugin folder: SHA-256 of every file, signed with an Ed25519 key')
    .requiredOption('--key <file>', 'the private key (PKCS#8 PEM, from trellis plugins keygen)')
    .action(async (dir: string, options: { key: string }, command: Command) => {
      const result = await signPlugin(resolve(dir), { privateKey: await readFile(options.key, 'utf8') });
      printResult(io, result, printOptionsOf(command));
      const summary = await inspectSignature(resolve(dir));
      if (summary && !printOptionsOf(command).json)
        io.stdout(`signed ${summary.plugin.name} ${summary.plugin.version}\n`);
    });

  plugins
    .command('keygen')
    .description('create an Ed25519 signing key pair: <keyId>.key.pem (secret, mode 600) and <keyId>.pub.pem')
    .option('--out <dir>', 'where to write the two files', '.')
    .action(async (options: { out: string }, command: Command) => {
      const pair = generateSigningKey();
      const privateFile = join(options.out, `${pair.keyId}.key.pem`);
      const publicFile = join(options.out, `${pair.keyId}.pub.pem`);
      await writeFile(privateFile, pair.privateKey, { mode: 0o600, flag: 'wx' });
      await writeFile(publicFile, pair.publicKey, { flag: 'wx' });
      printResult(
        io,
        { keyId: pair.keyId, privateKey: privateFile, publicKey: publicFile },
        printOptionsOf(command),
      );
    });

  withStore(
    plugins
      .command('prune')
      .description(
        'delete versions other than the active and previous ones, old backups and uninstalled plugins',
      ),
  ).action(async (_options: unknown, command: Command) => {
    const result = await (await openStore(command)).prune();
    printResult(
      io,
      {
        versions: result.versions.length,
        backups: result.backups,
        trash: result.trash,
        removed: result.versions,
      },
      printOptionsOf(command),
    );
  });
}

async function deploy(
  io: CliIO,
  command: Command,
  adminClientOf: AdminClientOf,
  operation: 'install' | 'upgrade' | 'downgrade' | 'rollback' | 'uninstall',
  name: string | undefined,
  body: Readonly<Record<string, unknown>>,
  offline: (deployer: PluginDeployer) => Promise<DeploymentResult>,
): Promise<void> {
  const admin = adminClientOf(command) ?? (await runningHost(io, command));
  const result = admin
    ? await admin.deploy(operation, name, body)
    : await offline(new PluginDeployer({ store: await openStore(command) }));
  const print = printOptionsOf(command);
  printResult(io, result, print);
  if (!print.json && result.gate === 'pending') {
    io.stdout(
      'The store is switched; the health gate runs when the app next starts (it rolls back a failing version).\n',
    );
  }
}

/**
 * The app serving the store, when one runs (it records itself in the store): changing its store
 * behind its back would leave it running stale code, so the operation goes to its admin API.
 */
async function runningHost(io: CliIO, command: Command): Promise<PluginAdminClient | undefined> {
  const host = await PluginStore.hostOf(command.opts<StoreOptions>().store);
  if (!host) return undefined;
  io.stderr(`An app (pid ${host.pid}) serves this store; sending the operation to it at ${host.url}.\n`);
  const token = command.opts<{ token?: string }>().token;
  return createPluginAdminClient({ url: host.url, ...(token ? { token } : {}) });
}

async function openStore(command: Command): Promise<PluginStore> {
  const { store, trust } = command.opts<StoreOptions>();
  return PluginStore.open(store, {
    trust: trust === undefined ? { trustedKeys: {}, allowUnsigned: true } : await readTrust(trust),
  });
}

/** A JSON object from a file, or `CLI_JSON_FILE_INVALID` naming the file, line and column. */
async function readJsonObject(file: string, option: string): Promise<Record<string, unknown>> {
  const parsed = parseJsonText(await readFile(file, 'utf8'));
  if (!parsed.ok) {
    const { problem, line, column } = parsed.error;
    throw new CliJsonFileInvalidError(file, option, `is not valid JSON at ${line}:${column} (${problem})`);
  }
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    throw new CliJsonFileInvalidError(file, option, 'does not hold a JSON object');
  }
  return parsed.value as Record<string, unknown>;
}

async function readTrust(file: string): Promise<TrustPolicy> {
  return parseTrustPolicy(await readJsonObject(file, '--trust'));
}

function cliActor() {
  return { id: process.env.USER ?? 'cli', via: 'cli' };
}

/** The plan as `renderPlan` prints it, from its JSON form (what the admin API answers). */
function renderPlanJson(json: Readonly<Record<string, unknown>>): string {
  return typeof json.text === 'string' ? withNewline(json.text) : `${JSON.stringify(json, null, 2)}\n`;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
