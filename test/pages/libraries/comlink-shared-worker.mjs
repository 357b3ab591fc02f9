// The shared worker: one counter for every page that connects, exposed with Comlink on each port.
import * as Comlink from '/vendor/comlink.mjs';

const api = {
  count: 0,
  inc(n) {
    api.count += n;
    return api.count;
  },
  async callMe(callback) {
    return callback('the shared worker');
  },
  fail() {
    throw new Error('boom in the shared worker');
  },
};

self.onconnect = (e) => Comlink.expose(api, e.ports[0]);
