// Reports what the sandbox lets it do, through its health details.
import { readFileSync } from 'node:fs';

// The brand definePlugin adds; set by hand so this fixture needs no dependency.
const brand = Symbol.for('@trellis/core.Plugin');

function attempt(action) {
  try {
    action();
    return 'allowed';
  } catch (error) {
    return error.code ?? error.name;
  }
}

export const plugin = {
  [brand]: true,
  health: () => {
    console.log('checking the sandbox');
    console.error('on stderr');
    return report();
  },
};

function report() {
  return {
    status: 'pass',
    details: {
      outside: attempt(() => readFileSync('/etc/hostname')),
      inside: attempt(() => readFileSync(new URL('./package.json', import.meta.url))),
      // Built at run time so no linter mistakes it for a real eval.
      evaluate: attempt(() => new Function('return 1')()),
      env: Object.keys(process.env).sort(),
    },
  };
}
