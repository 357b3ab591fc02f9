const inner = new Worker('nested-inner.js');
const { port1, port2 } = new MessageChannel();
inner.postMessage('port for inner', [port2]);
postMessage('port for page', [port1]);
