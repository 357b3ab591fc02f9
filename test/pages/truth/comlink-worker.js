import * as Comlink from '/vendor/comlink.mjs';

let callback;
Comlink.expose({
  async setCallback(cb) {
    callback = cb;
    await callback(1);
    await callback(2);
  },
  makeCounter() {
    const counter = { n: 0, inc() { return ++counter.n; }, get value() { return counter.n; } };
    return Comlink.proxy(counter);
  },
  ping() { return 'pong'; },
});
