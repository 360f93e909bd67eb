// The brand definePlugin adds; set by hand so this fixture needs no dependency.
const brand = Symbol.for('@trellis/core.Plugin');

/** How far the loop got; exported so the loop body has an effect. */
export let spins = 0;

export const plugin = {
  [brand]: true,
  // Never answers, so the test has a call pending when the plugin dies.
  stop: () => new Promise(() => {}),
  start() {
    // Blocks the event loop for good: only a terminate from outside ends it.
    setTimeout(() => {
      for (;;) spins++;
    }, 20);
  },
};
