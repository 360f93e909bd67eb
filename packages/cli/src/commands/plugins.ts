import {
  createPluginAdminClient,
  inspectLocalPlugins,
  PLUGIN_GRAPH_FORMATS,
  type PluginAdminClient,
  type PluginGraphFormat,
  pluginInfo,
  renderPluginGraph,
} from '@trellis/lifecycle';
import { type Command, Option } from 'commander';
import { CommandExit } from '../command-exit.js';
import { type CommandGroup, printOptionsOf } from '../command-group.js';
import { EXIT_CODES } from '../exit-codes.js';
import { printResult } from '../output.js';
import {
  localPluginRow,
  printPluginDetails,
  printScanDiagnostics,
  remotePluginRow,
} from './plugins-format.js';
import { addStoreCommands } from './plugins-store.js';

/** The options that say where plugins are: a folder on disk, or a running app's admin API. */
interface SourceOptions {
  readonly dir?: string;
  readonly url?: string;
  readonly token?: string;
}

const dirOption = () =>
  new Option('--dir <dir>', 'the plugins folder, one folder per plugin').default('plugins');
const urlOption = () =>
  new Option('--url <url>', "base URL of a running app's admin API, e.g. http://127.0.0.1:3000").env(
    'TRELLIS_ADMIN_URL',
  );
const tokenOption = () =>
  new Option(
    '--token <token>',
    'the admin token (prefer the environment variable: shell history keeps options)',
  ).env('TRELLIS_ADMIN_TOKEN');

/**
 * `trellis plugins ...`: list, inspect and graph the plugins of a folder (discovery and
 * resolution only, nothing runs), or of a running app with `--url`; start, stop and restart
 * plugins of a running app. Each command calls an operation of `@trellis/lifecycle`.
 */
export const pluginsCommand: CommandGroup = (program, io) => {
  const plugins = program
    .command('plugins')
    .description('list, inspect and graph plugins; start, stop or restart them in a running app');

  plugins
    .command('list')
    .description('list the plugins of a folder (state, wave, activation), or of a running app with --url')
    .addOption(dirOption())
    .addOption(urlOption())
    .addOption(tokenOption())
    .action(async (_options: unknown, command: Command) => {
      const print = printOptionsOf(command);
      const admin = adminClientOf(command);
      if (admin) {
        const list = await admin.list();
        return printResult(io, print.json ? { plugins: list } : list.map(remotePluginRow), print);
      }
      const report = await inspectLocalPlugins({ dir: dirOf(command) });
      printResult(io, print.json ? report : report.plugins.map(localPluginRow), print);
      if (!print.json) printScanDiagnostics(io, report);
    });

  plugins
    .command('info <name>')
    .description('show one plugin: manifest, wave, dependencies, dependents, permissions')
    .addOption(dirOption())
    .addOption(urlOption())
    .addOption(tokenOption())
    .action(async (name: string, _options: unknown, command: Command) => {
      const admin = adminClientOf(command);
      const plugin = admin
        ? await admin.get(name)
        : pluginInfo((await inspectLocalPlugins({ dir: dirOf(command) })).plugins, name);
      if (printOptionsOf(command).json) printResult(io, plugin, { json: true });
      else printPluginDetails(io, plugin);
    });

  plugins
    .command('graph')
    .description('draw the dependency graph of a plugins folder')
    .addOption(dirOption())
    .addOption(
      new Option('--format <format>', 'tree (text), dot (Graphviz) or mermaid')
        .choices(PLUGIN_GRAPH_FORMATS)
        .default('tree'),
    )
    .action(async (options: { format: PluginGraphFormat }, command: Command) => {
      const report = await inspectLocalPlugins({ dir: dirOf(command) });
      const graph = renderPluginGraph(report.plugins, options.format);
      if (printOptionsOf(command).json)
        return printResult(io, { format: options.format, graph }, { json: true });
      io.stdout(`${graph}\n`);
      printScanDiagnostics(io, report, { withDisabled: false });
    });

  for (const verb of ['start', 'stop', 'restart'] as const) {
    const command = plugins
      .command(`${verb} <name>`)
      .description(`${verb} a plugin of a running app (needs --url)`)
      .addOption(urlOption())
      .addOption(tokenOption());
    if (verb === 'restart')
      command.option('--no-dependents', 'restart the plugin alone, not the plugins that depend on it');
    command.action(async (name: string, options: { dependents?: boolean }, self: Command) => {
      const admin = requireAdminClient(self, verb);
      const summary =
        verb === 'restart'
          ? await admin.restart(name, { withDependents: options.dependents !== false })
          : await admin[verb](name);
      const print = printOptionsOf(self);
      if (print.json) printResult(io, summary, print);
      else printPluginDetails(io, summary);
      if (summary.state === 'failed' && verb !== 'stop') {
        if (!print.json)
          io.stderr(`${name} failed: ${summary.error?.code ?? 'ERROR'}: ${summary.error?.message ?? ''}\n`);
        throw new CommandExit(EXIT_CODES.FAILURE, `plugin ${name} failed`);
      }
    });
  }

  addStoreCommands(plugins, io, adminClientOf, () => [urlOption(), tokenOption()]);
};

function dirOf(command: Command): string {
  return command.opts<SourceOptions>().dir ?? 'plugins';
}

/** The admin client `--url` (or `TRELLIS_ADMIN_URL`) asks for; undefined to read the folder instead. */
function adminClientOf(command: Command): PluginAdminClient | undefined {
  const { url, token } = command.opts<SourceOptions>();
  const urlFrom = command.getOptionValueSource('url');
  const dirFrom = command.getOptionValueSource('dir');
  if (urlFrom === 'cli' && dirFrom === 'cli') {
    command.error('error: give one of --dir (a plugins folder) and --url (a running app), not both', {
      exitCode: EXIT_CODES.USAGE,
    });
  }
  // An explicit --dir asks about the folder, even when TRELLIS_ADMIN_URL is set for the shell.
  if (url === undefined || url === '' || dirFrom === 'cli') return undefined;
  return createPluginAdminClient({ url, ...(token ? { token } : {}) });
}

/** The admin client of a command that acts on a running app; a usage error without `--url`. */
function requireAdminClient(command: Command, verb: string): PluginAdminClient {
  const admin = adminClientOf(command);
  if (admin) return admin;
  return command.error(
    `error: "trellis plugins ${verb}" acts on a running app: pass --url <admin url> (or set TRELLIS_ADMIN_URL).\n` +
      'A plugins folder is only read: running a plugin takes the app that hosts it, so start the app instead.',
    { exitCode: EXIT_CODES.USAGE },
  );
}
