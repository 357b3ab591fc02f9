// The broken variant of the demo (test/pages/demo/child.js with a classic bug). A server whose
// first directory is test/pages/demo-broken serves it at /demo/child.js in place of the good
// one, so the broken demo has the same URLs as the demo. The child listens on the port with
// addEventListener but never calls start(): the port's message queue stays disabled and
// nothing reaches the listener.
window.addEventListener('message', (e) => {
  if (e.data?.type !== 'connect' || !e.ports[0]) return;
  const port = e.ports[0];
  document.getElementById('status').textContent = 'connected';
  port.addEventListener('message', (m) => {
    const d = m.data;
    port.postMessage({ type: 'pong', got: d.type, bytes: d.buffer ? d.buffer.byteLength : undefined });
  });
  // Missing: port.start();
  window.parent.postMessage({ type: 'ready' }, '*');
});
