// The cross-origin child: Comlink's exposed side, Penpal's child, and hand-written
// post-robot-format and JSON-RPC 2.0 responders (same wire shapes as those libraries).
import * as Comlink from '/vendor/comlink.mjs';
import { WindowMessenger, connect } from '/vendor/penpal.mjs';

const parentOrigin = new URLSearchParams(location.search).get('parent');

class Box {
  constructor(v) {
    this.v = v;
  }
}
const api = {
  name: 'child-api',
  count: 0,
  add: (a, b) => a + b,
  fail() {
    throw new TypeError('nope');
  },
  // Returns a proxy: it travels back as a new MessagePort.
  makeCounter() {
    let n = 0;
    return Comlink.proxy({ inc: () => ++n });
  },
  Box,
};

// Penpal child.
connect({
  messenger: new WindowMessenger({ remoteWindow: window.parent, allowedOrigins: [parentOrigin] }),
  methods: {
    multiply: (a, b) => a * b,
    boom() {
      throw new Error('penpal boom');
    },
  },
});

const PR_KEY = '__post_robot_10_0_46__';
let uid = 0;
const prMessage = (fields) => ({ id: `uid_child_${++uid}`, origin: location.origin, ...fields });

window.addEventListener('message', (e) => {
  if (e.origin !== parentOrigin) return;
  const d = e.data;
  if (d && d.kind === 'comlink-port') {
    Comlink.expose(api, e.ports[0]);
    return;
  }
  if (typeof d === 'string' && d.startsWith(`{"${PR_KEY}"`)) {
    for (const m of JSON.parse(d)[PR_KEY]) {
      if (m.type !== 'postrobot_message_request') continue;
      const ack = prMessage({ type: 'postrobot_message_ack', hash: m.hash, name: m.name });
      const res = prMessage({ type: 'postrobot_message_response', hash: m.hash, name: m.name, ack: 'success', data: { user: 'Zippy', id: m.data.id } });
      // post-robot buffers what it sends to one window: the second request's ack and
      // response leave packed in one message, the first's one by one.
      if (m.name === 'getUser') {
        e.source.postMessage(JSON.stringify({ [PR_KEY]: [ack] }), parentOrigin);
        setTimeout(() => e.source.postMessage(JSON.stringify({ [PR_KEY]: [res] }), parentOrigin), 5);
      } else e.source.postMessage(JSON.stringify({ [PR_KEY]: [ack, res] }), parentOrigin);
    }
    return;
  }
  const answer = (m) =>
    m.method === 'divide'
      ? m.params[1] === 0
        ? { jsonrpc: '2.0', id: m.id, error: { code: -32000, message: 'division by zero' } }
        : { jsonrpc: '2.0', id: m.id, result: m.params[0] / m.params[1] }
      : { jsonrpc: '2.0', id: m.id, result: `${m.method} done` };
  if (Array.isArray(d) && d.length && d.every((m) => m && m.jsonrpc === '2.0')) {
    e.source.postMessage(d.filter((m) => 'id' in m).map(answer).reverse(), parentOrigin);
  } else if (d && d.jsonrpc === '2.0' && typeof d.method === 'string' && 'id' in d) {
    e.source.postMessage(answer(d), parentOrigin);
  }
});
window.parent.postMessage({ kind: 'child-ready' }, parentOrigin);
