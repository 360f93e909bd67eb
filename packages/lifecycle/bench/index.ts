// @trellis/lifecycle benchmarks: boot of N plugins in dependency waves, cold start and call round
// trips across the worker and process boundaries, and memory per plugin, each against what a user
// would write without the manager. Run with `pnpm build && pnpm --filter @trellis/lifecycle bench`;
// writes docs/benchmarks/lifecycle.md.
//
// Worker threads inherit the host's node options, so under the `tsx` CLI every plugin worker would
// load tsx as well (about +50 ms and several MB each), and tsx's loader hooks slow each fresh
// `import()` of a plugin by ~80%. Production runs the built `dist/` with neither, so when started
// with node options (tsx's) this file runs itself again under plain `node`, which strips the
// bench's types natively; an in-thread resolve hook maps the bench's own `./x.js` imports to
// `./x.ts` and passes every other import straight through. The memory probes fork this file with
// `--memory-probe` (see memory.ts).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

if (process.execArgv.length > 0) {
  if (process.features.typescript === false)
    throw new Error('The lifecycle bench needs a Node that strips types itself (22.18+, 23.6+ or 24).');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  process.exitCode = code ?? 1;
} else {
  const benchDir = new URL('./', import.meta.url).href;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const own = specifier.startsWith('./') && context.parentURL?.startsWith(benchDir) === true;
      return nextResolve(own ? specifier.replace(/\.js$/, '.ts') : specifier, context);
    },
  });
  // A memory probe runs alone in a fresh process (see memory.ts); anything else runs the suite.
  if (process.argv[2] === '--memory-probe') await import('./memory-probe.js');
  else await import('./suite.js');
}
