import { createEndpoint, fromMessagePort } from '/vendor/remote-ui-rpc/index.mjs';

const frame = document.getElementById('child');
frame.src = `${location.protocol}//localhost:${location.port}/truth/remote-ui-child.html`;
await new Promise((r) => frame.addEventListener('load', r, { once: true }));
const { port1, port2 } = new MessageChannel();
frame.contentWindow.postMessage('connect', '*', [port2]);
// Used at once: listener and call on port1, before the frame has the other port.
const endpoint = createEndpoint(fromMessagePort(port1));
endpoint.call.render('hello').catch(() => {});
window.addEventListener('message', (e) => {
  if (e.data !== 'ready') return;
  // Later (well past the clock skew allowed between two frames), a second endpoint listens on
  // port1 too: the page still holds port1, so the port the frame got is port2.
  setTimeout(() => {
    createEndpoint(fromMessagePort(port1));
    window.scenarioDone = true;
  }, 300);
});
