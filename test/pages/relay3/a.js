// Level A: creates the channel and gives port2 away; waits for three answers from C.
const b = document.getElementById('b');
const port = location.port;
b.src = `http://localhost:${port}/relay3/b.html`;
const channel = new MessageChannel();
let answers = 0;
channel.port1.onmessage = (e) => {
  answers++;
  if (e.data.n < 3) channel.port1.postMessage({ ask: e.data.n + 1 });
  else window.scenarioDone = true;
};
window.addEventListener('message', (e) => {
  if (e.origin !== `http://localhost:${port}` || e.data !== 'b-ready') return;
  b.contentWindow.postMessage({ kind: 'port' }, e.origin, [channel.port2]);
  channel.port1.postMessage({ ask: 1 });
});
