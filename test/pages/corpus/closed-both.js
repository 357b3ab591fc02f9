// A session with a widget over a port, ended by a goodbye: the widget acknowledges and closes
// its end; the host closes its end when the acknowledgement arrives. Nothing is sent after.
(async () => {
  const frame = document.createElement('iframe');
  frame.src = `${childOrigin}/corpus/frame.html`;
  const ready = new Promise((resolve) => {
    window.addEventListener('message', function onReady(e) {
      if (e.origin !== childOrigin || e.data?.type !== 'ready') return;
      window.removeEventListener('message', onReady);
      resolve();
    });
  });
  document.body.append(frame);
  await ready;
  const { port1, port2 } = new MessageChannel();
  const closed = new Promise((resolve) => {
    port1.onmessage = ({ data }) => {
      if (data.type === 'value') port1.postMessage({ type: 'bye' });
      else if (data.type === 'bye-ack') {
        port1.close();
        resolve();
      }
    };
  });
  frame.contentWindow.postMessage({ type: 'connect' }, childOrigin, [port2]);
  port1.postMessage({ type: 'get', id: 1 });
  await closed;
  await settle();
  finish();
})();
