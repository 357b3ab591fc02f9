// A dedicated worker exposing a Comlink API to its page.
import * as Comlink from '/vendor/comlink.mjs';

Comlink.expose({
  name: 'worker-api',
  add: (a, b) => a + b,
  fail() {
    throw new TypeError('nope');
  },
  async twice(callback) {
    return (await callback(21)) * 2;
  },
});
