// Level B: passes the port it gets from A on to C, untouched.
const c = document.getElementById('c');
const port = location.port;
let cReady = false;
let pending = null;
const forward = () => {
  if (!cReady || !pending) return;
  c.contentWindow.postMessage({ kind: 'port' }, `http://127.0.0.2:${port}`, [pending]);
  pending = null;
};
window.addEventListener('message', (e) => {
  if (e.origin === `http://127.0.0.1:${port}` && e.data?.kind === 'port') {
    pending = e.ports[0];
    forward();
  } else if (e.origin === `http://127.0.0.2:${port}` && e.data === 'c-ready') {
    cReady = true;
    parent.postMessage('b-ready', `http://127.0.0.1:${port}`);
    forward();
  }
});
c.src = `http://127.0.0.2:${port}/relay3/c.html`;
