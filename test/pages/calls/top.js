// The top page. Each call's answer says which call it was (double(n) → 2n, triple(n) → 3n,
// add(a, b) → a + b), so a test can tell a right pairing from a wrong one.
import * as Comlink from '/vendor/comlink.mjs';
import { loadJsonRpc } from './cjs.js';

const log = (s) => (document.getElementById('log').textContent += s + '\n');
const childOrigin = `http://localhost:${location.port}`;
const iframe = document.createElement('iframe');
iframe.src = `${childOrigin}/calls/child.html?parent=${encodeURIComponent(location.origin)}`;
const fromChild = (kind) =>
  new Promise((resolve) => {
    window.addEventListener('message', function on(e) {
      if (e.origin === childOrigin && e.data && e.data.kind === kind) {
        window.removeEventListener('message', on);
        resolve(e.data);
      }
    });
  });
const ready = fromChild('calls-child-ready');
document.body.append(iframe);
const { JSONRPCServerAndClient, JSONRPCServer, JSONRPCClient } = await loadJsonRpc();
await ready;

// 1. JSON-RPC 2.0 both ways on one MessageChannel: both ends ask at once, ids 1..4 each.
const { port1, port2 } = new MessageChannel();
const rpc = new JSONRPCServerAndClient(new JSONRPCServer(), new JSONRPCClient((request) => port1.postMessage(request)));
rpc.addMethod('triple', ([n]) => n * 3);
port1.onmessage = (e) => rpc.receiveAndSend(e.data);
const childAsked = fromChild('rpc-done');
iframe.contentWindow.postMessage({ kind: 'rpc-port' }, childOrigin, [port2]);
const doubled = await Promise.all([1, 2, 3, 4].map((n) => rpc.request('double', [n])));
log(`rpc top asked: ${doubled.join(' ')}; child asked: ${(await childAsked).results.join(' ')}`);

// 2. post-robot: a handler that answers, one that throws (its error reply carries a stack).
const win = iframe.contentWindow;
const user = await postRobot.send(win, 'getUser', { id: 3 }, { domain: childOrigin });
log(`post-robot getUser ${JSON.stringify(user.data)}`);
try {
  await postRobot.send(win, 'boom', { why: 'test' }, { domain: childOrigin });
  log('post-robot boom did not throw');
} catch (e) {
  log(`post-robot boom threw ${e.message}`);
}

// 3. Comlink into a dedicated worker: every request's delivery is out of sight.
const worker = new Worker('worker.js', { type: 'module' });
const api = Comlink.wrap(worker);
log(`comlink add ${await api.add(2, 3)}`);
log(`comlink both ${(await Promise.all([api.add(10, 20), api.add(100, 200)])).join(' ')}`);
log(`comlink name ${await api.name}`);
try {
  await api.fail();
} catch (e) {
  log(`comlink threw ${e.name}`);
}
// A callback on a new port: the worker calls it, the page answers on a port whose partner is in the worker.
log(`comlink twice ${await api.twice(Comlink.proxy((x) => x + 1))}`);

window.callsDone = true;
log('done');
