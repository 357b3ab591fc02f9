// Host of a cross-origin widget: wait for its "ready" (origin checked), hand it one end of a
// channel with an explicit targetOrigin, then talk over the port.
(async () => {
  const frame = document.createElement('iframe');
  frame.src = `${childOrigin}/corpus/frame.html`;
  const ready = new Promise((resolve) => {
    window.addEventListener('message', function onReady(e) {
      if (e.origin !== childOrigin || e.source !== frame.contentWindow || e.data?.type !== 'ready') return;
      window.removeEventListener('message', onReady);
      resolve();
    });
  });
  document.body.append(frame);
  await ready;
  const { port1, port2 } = new MessageChannel();
  const values = [];
  const got = new Promise((resolve) => {
    port1.onmessage = ({ data }) => {
      values.push(data.value);
      if (values.length === 10) resolve();
    };
  });
  frame.contentWindow.postMessage({ type: 'connect' }, childOrigin, [port2]);
  for (let id = 1; id <= 10; id++) port1.postMessage({ type: 'get', id });
  await got;
  await settle();
  finish();
})();
