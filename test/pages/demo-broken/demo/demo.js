// The broken variant of the demo (test/pages/demo/demo.js with a classic bug). A server whose
// first directory is test/pages/demo-broken serves it at /demo/demo.js in place of the good
// one, so the broken demo has the same URLs as the demo. The top page listens on its port with
// addEventListener but never calls start(): the port's message queue stays disabled and the
// child's answers never reach the listener.
const log = (s) => (document.getElementById('log').textContent += s + '\n');
const child = document.getElementById('child');
const childOrigin = `http://localhost:${location.port}`;
child.src = `${childOrigin}/demo/child.html`;

const channel = new MessageChannel();
channel.port1.addEventListener('message', (e) => {
  log(`top got: ${JSON.stringify(e.data)}`);
  window.demoReceived = (window.demoReceived || 0) + 1;
});
// Missing: channel.port1.start();

child.addEventListener('load', () => {
  child.contentWindow.postMessage({ type: 'connect' }, childOrigin, [channel.port2]);
  channel.port1.postMessage({ type: 'ping', n: 1 });
  const buffer = new ArrayBuffer(1024);
  channel.port1.postMessage({ type: 'bytes', buffer }, [buffer]);
});

document.getElementById('ping').addEventListener('click', () => channel.port1.postMessage({ type: 'ping', at: Date.now() }));
