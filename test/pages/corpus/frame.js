// An embedded widget (cross-origin): it announces itself to the one origin it trusts, takes
// the port that origin hands over, answers requests on it, and shuts the channel down when
// asked — closing its end after the last reply.
const host = `http://127.0.0.1:${location.port}`;
const status = (s) => (document.getElementById('status').textContent = s);

window.addEventListener('message', (e) => {
  if (e.origin !== host || e.data?.type !== 'connect' || !e.ports[0]) return;
  const port = e.ports[0];
  port.onmessage = ({ data }) => {
    if (data.type === 'get') port.postMessage({ type: 'value', id: data.id, value: `item ${data.id}` });
    else if (data.type === 'bye') {
      port.postMessage({ type: 'bye-ack' });
      port.close();
      status('closed');
    }
  };
  status('connected');
});

// Listener first, then "ready": the host only sends once someone listens.
parent.postMessage({ type: 'ready' }, host);
