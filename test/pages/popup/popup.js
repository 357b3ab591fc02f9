// The popup: says ready to its opener, answers ping over the port it is given, then says bye.
const log = (s) => (document.getElementById('log').textContent += s + '\n');
const openerOrigin = `http://127.0.0.1:${location.port}`;
window.addEventListener('message', (e) => {
  if (e.origin !== openerOrigin || e.data?.kind !== 'port') return;
  const port = e.ports[0];
  port.onmessage = (m) => {
    log(`got ${m.data}`);
    port.postMessage('pong');
    window.opener.postMessage('bye', openerOrigin);
  };
});
window.opener.postMessage('ready', openerOrigin);
