// The top page: calls the child through Comlink (over a MessageChannel, including a call
// that returns a proxy on a new port), Penpal, and post-robot-format and JSON-RPC messages.
import * as Comlink from '/vendor/comlink.mjs';
import { WindowMessenger, connect } from '/vendor/penpal.mjs';

const log = (s) => (document.getElementById('log').textContent += s + '\n');
const port = location.port;
const childOrigin = `http://localhost:${port}`;
const iframe = document.createElement('iframe');
iframe.src = `${childOrigin}/decoders/child.html?parent=${encodeURIComponent(location.origin)}`;

const ready = new Promise((resolve) => {
  window.addEventListener('message', function onReady(e) {
    if (e.origin === childOrigin && e.data && e.data.kind === 'child-ready') {
      window.removeEventListener('message', onReady);
      resolve();
    }
  });
});
document.body.append(iframe);
// Penpal's parent listens before the child loads (its first SYN may reach the initial
// about:blank and be dropped by targetOrigin; the child's SYN starts the handshake anyway).
const penpal = connect({ messenger: new WindowMessenger({ remoteWindow: iframe.contentWindow, allowedOrigins: [childOrigin] }), methods: { hello: () => 'hi' } });
await ready;

// Penpal first: its handshake hands a port from child to parent. Only then does the parent
// hand the child a port for Comlink, so the two window-borne ports never cross in flight
// (Firefox's recordings could confuse their identities when they did; see the report).
const remote = await penpal.promise;
log(`penpal multiply ${await remote.multiply(6, 7)}`);
try {
  await remote.boom();
} catch (e) {
  log(`penpal threw ${e.message}`);
}

// Comlink over a MessageChannel handed to the child.
const { port1, port2 } = new MessageChannel();
iframe.contentWindow.postMessage({ kind: 'comlink-port' }, childOrigin, [port2]);
const api = Comlink.wrap(port1);
log(`comlink add ${await api.add(2, 3)}`);
log(`comlink name ${await api.name}`);
await (api.count = 5);
const counter = await api.makeCounter();
log(`comlink counter ${await counter.inc()} ${await counter.inc()}`);
const box = await new api.Box(7);
log(`comlink box ${await box.v}`);
try {
  await api.fail();
} catch (e) {
  log(`comlink threw ${e.name}`);
}
counter[Comlink.releaseProxy]();


// post-robot format (one request answered by ack then response, one by a packed pair).
const PR_KEY = '__post_robot_10_0_46__';
const prReplies = new Map();
window.addEventListener('message', (e) => {
  if (e.origin !== childOrigin || typeof e.data !== 'string' || !e.data.startsWith(`{"${PR_KEY}"`)) return;
  for (const m of JSON.parse(e.data)[PR_KEY]) if (m.type === 'postrobot_message_response') prReplies.get(m.hash)?.(m.data);
});
let prId = 0;
function prSend(name, data) {
  const hash = `${name}_${(++prId).toString(36)}_h`;
  const reply = new Promise((resolve) => prReplies.set(hash, resolve));
  const msg = { id: `uid_top_${prId}`, origin: location.origin, type: 'postrobot_message_request', hash, name, data };
  iframe.contentWindow.postMessage(JSON.stringify({ [PR_KEY]: [msg] }), childOrigin);
  return reply;
}
log(`post-robot getUser ${JSON.stringify(await prSend('getUser', { id: 7 }))}`);
log(`post-robot getCart ${JSON.stringify(await prSend('getCart', { id: 8 }))}`);

// JSON-RPC 2.0: a request, an error, a notification and a batch.
const rpcReplies = new Map();
window.addEventListener('message', (e) => {
  if (e.origin !== childOrigin) return;
  for (const m of Array.isArray(e.data) ? e.data : [e.data]) if (m && m.jsonrpc === '2.0' && 'id' in m) rpcReplies.get(m.id)?.(m);
});
const rpc = (m) => {
  const r = new Promise((resolve) => rpcReplies.set(m.id, resolve));
  iframe.contentWindow.postMessage(m, childOrigin);
  return r;
};
log(`jsonrpc divide ${JSON.stringify(await rpc({ jsonrpc: '2.0', id: 1, method: 'divide', params: [10, 4] }))}`);
log(`jsonrpc error ${JSON.stringify(await rpc({ jsonrpc: '2.0', id: 2, method: 'divide', params: [1, 0] }))}`);
iframe.contentWindow.postMessage({ jsonrpc: '2.0', method: 'log', params: ['hello'] }, childOrigin);
const batchDone = new Promise((resolve) => rpcReplies.set(11, resolve));
iframe.contentWindow.postMessage(
  [
    { jsonrpc: '2.0', id: 10, method: 'save', params: { a: 1 } },
    { jsonrpc: '2.0', method: 'tick' },
    { jsonrpc: '2.0', id: 11, method: 'load' },
  ],
  childOrigin,
);
await batchDone;
log('done');
window.decodersDone = true;
