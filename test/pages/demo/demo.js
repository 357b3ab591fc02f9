// Top frame of the demo: a cross-origin child gets port2 of a channel in a handshake,
// then both ends exchange messages, one of which transfers an ArrayBuffer.
const log = (s) => (document.getElementById('log').textContent += s + '\n');
const child = document.getElementById('child');
const childOrigin = `http://localhost:${location.port}`;
child.src = `${childOrigin}/demo/child.html`;

const channel = new MessageChannel();
channel.port1.onmessage = (e) => {
  log(`top got: ${JSON.stringify(e.data)}`);
  window.demoReceived = (window.demoReceived || 0) + 1;
};

child.addEventListener('load', () => {
  child.contentWindow.postMessage({ type: 'connect' }, childOrigin, [channel.port2]);
  channel.port1.postMessage({ type: 'ping', n: 1 });
  const buffer = new ArrayBuffer(1024);
  channel.port1.postMessage({ type: 'bytes', buffer }, [buffer]);
});

document.getElementById('ping').addEventListener('click', () => channel.port1.postMessage({ type: 'ping', at: Date.now() }));
