// The brand definePlugin adds; set by hand so this fixture needs no dependency.
const brand = Symbol.for('@trellis/core.Plugin');

export const plugin = {
  [brand]: true,
  // Never answers, so the test has a call pending when the plugin dies.
  stop: () => new Promise(() => {}),
  start() {
    setTimeout(() => process.exit(3), 20);
  },
};
