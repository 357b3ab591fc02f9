// Cross-origin child of the demo: takes the port from the handshake and answers on it.
window.addEventListener('message', (e) => {
  if (e.data?.type !== 'connect' || !e.ports[0]) return;
  const port = e.ports[0];
  document.getElementById('status').textContent = 'connected';
  port.onmessage = (m) => {
    const d = m.data;
    port.postMessage({ type: 'pong', got: d.type, bytes: d.buffer ? d.buffer.byteLength : undefined });
  };
  window.parent.postMessage({ type: 'ready' }, '*');
});
