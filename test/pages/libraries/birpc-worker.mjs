// birpc's worker side, over the worker's own postMessage.
import { createBirpc } from '/vendor/birpc.mjs';
const page = createBirpc(
  { square: (x) => x * x, callBack: (who) => page.hello(who) },
  { post: (d) => postMessage(d), on: (fn) => addEventListener('message', (e) => fn(e.data)) },
);
