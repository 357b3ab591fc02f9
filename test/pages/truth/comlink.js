import * as Comlink from '/vendor/comlink.mjs';

const worker = new Worker('./comlink-worker.js', { type: 'module' });
const api = Comlink.wrap(worker);
const seen = [];
// A port the page made goes to the worker (Comlink.proxy): the worker calls it back twice.
await api.setCallback(Comlink.proxy((x) => { seen.push(x); return x * 10; }));
// A port the worker made comes to the page: calls on it go to the worker's counter.
const counter = await api.makeCounter();
await counter.inc();
await counter.inc();
window.counterValue = await counter.value;
window.callbackSeen = seen;
counter[Comlink.releaseProxy]();
await api.ping();
window.scenarioDone = true;
