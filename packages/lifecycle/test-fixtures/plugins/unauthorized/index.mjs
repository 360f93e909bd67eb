// The brand definePlugin adds; set by hand so this fixture needs no dependency.
const brand = Symbol.for('@trellis/core.Plugin');

export const plugin = {
  [brand]: true,
  setup(ctx) {
    ctx.resolve(Symbol.for('@trellis/core.HttpRouter'));
  },
};
