// Recovery benchmarks of the assembled platform: hang and heap-cap detection, time to serve again
// after a crash (MTTR) per isolation, and availability of the other plugins while one crashes
// every second. Run with `pnpm build && pnpm --filter @trellis/reference bench`; writes
// docs/benchmarks/resilience-recovery.md (a little over 2 minutes).
//
// Worker threads inherit the host's node options, so under the `tsx` CLI every plugin worker
// would load tsx as well. Production runs the built dist/ without it, so when started with node
// options (tsx's) this file runs itself again under plain `node`, which strips the bench's types
// natively; an in-thread resolve hook maps the bench's own `./x.js` imports to `./x.ts` and passes
// every other import (the workspace packages' dist/) straight through.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

if (process.execArgv.length > 0) {
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
  await import('./suite.js');
}
