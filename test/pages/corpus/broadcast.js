// Fan-out: the page tells every frame about a theme change over a BroadcastChannel that all
// of them listen to, and each frame acknowledges; then it tells each frame by window message
// with an explicit targetOrigin.
(async () => {
  const channel = new BroadcastChannel('app');
  const acks = [];
  let allAcked;
  const acked = new Promise((resolve) => (allAcked = resolve));
  channel.onmessage = ({ data }) => {
    if (data.type === 'ack') acks.push(data.from);
    if (acks.length === 2) allAcked();
  };
  let listening = 0;
  const frames = [];
  const allListening = new Promise((resolve) => {
    window.addEventListener('message', (e) => {
      if (e.origin !== location.origin || e.data?.type !== 'listening') return;
      if (++listening === 2) resolve();
    });
  });
  for (const name of ['a', 'b']) {
    const f = document.createElement('iframe');
    f.src = `broadcast-frame.html?${name}`;
    frames.push(f);
    document.body.append(f);
  }
  await allListening;
  channel.postMessage({ type: 'theme', value: 'dark' });
  await acked;
  for (const f of frames) f.contentWindow.postMessage({ type: 'theme', value: 'dark' }, location.origin);
  await settle();
  finish();
})();
