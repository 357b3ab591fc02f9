import * as Comlink from '/vendor/comlink.mjs';

Comlink.expose({
  add: (a, b) => a + b,
  twice: async (f) => (await f(21)) + 0,
  size: (b) => b.byteLength,
});
