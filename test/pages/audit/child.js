// A cooperative child frame for the audit pages, loaded from http://localhost:<port>.
// It accepts a control port from its parent (checking the origin), then obeys commands
// sent over that port. ?mode=unchecked makes it post to the parent without further ado.
const params = new URLSearchParams(location.search);
const parentOrigin = `http://127.0.0.1:${location.port}`;
const status = (s) => (document.getElementById('status').textContent = s);

function serve(control) {
  control.onmessage = (e) => {
    const { type } = e.data ?? {};
    if (type === 'request') {
      // A port per request: reply on it (and, like the buggy client, never close it).
      const reply = e.ports[0];
      reply.postMessage({ id: e.data.id, result: e.data.id * 2 });
    } else if (type === 'echo') {
      control.postMessage({ type: 'echo', data: e.data.data });
    }
  };
  control.onmessageerror = () => status('messageerror on the control port');
  control.postMessage({ type: 'serving' });
}

window.addEventListener('message', (e) => {
  if (e.origin !== parentOrigin) return;
  if (e.data?.type === 'connect' && e.ports[0]) {
    status('connected');
    serve(e.ports[0]);
  }
});

parent.postMessage({ type: 'ready', mode: params.get('mode') }, parentOrigin);
