// The cross-origin child: the other JSON-RPC end (it asks too, ids from 1) and post-robot handlers.
import { loadJsonRpc } from './cjs.js';

const parentOrigin = new URLSearchParams(location.search).get('parent');
const { JSONRPCServerAndClient, JSONRPCServer, JSONRPCClient } = await loadJsonRpc();

window.addEventListener('message', async (e) => {
  if (e.origin !== parentOrigin || !e.data || e.data.kind !== 'rpc-port') return;
  const port = e.ports[0];
  const rpc = new JSONRPCServerAndClient(new JSONRPCServer(), new JSONRPCClient((request) => port.postMessage(request)));
  rpc.addMethod('double', ([n]) => n * 2);
  port.onmessage = (m) => rpc.receiveAndSend(m.data);
  const results = await Promise.all([11, 12, 13, 14].map((n) => rpc.request('triple', [n])));
  window.parent.postMessage({ kind: 'rpc-done', results }, parentOrigin);
});

postRobot.on('getUser', { domain: parentOrigin }, ({ data }) => ({ id: data.id, name: 'Zippy' }));
postRobot.on('boom', { domain: parentOrigin }, () => {
  throw new Error('kaboom');
});

window.parent.postMessage({ kind: 'calls-child-ready' }, parentOrigin);
