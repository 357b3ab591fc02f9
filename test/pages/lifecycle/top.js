// The top: two framed children get a port each and answer a ping; then one is removed.
const log = (s) => (document.getElementById('log').textContent += s + '\n');
const crossOrigin = `http://localhost:${location.port}`;

function frame(src) {
  const f = document.createElement('iframe');
  f.src = src;
  document.body.append(f);
  return new Promise((ok) => {
    const onReady = (e) => {
      if (e.source !== f.contentWindow || e.data !== 'ready') return;
      removeEventListener('message', onReady);
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = (m) => {
        log(`${src} answered ${m.data}`);
        ok(f);
      };
      f.contentWindow.postMessage('port', '*', [port2]);
      port1.postMessage('ping');
    };
    addEventListener('message', onReady);
  });
}

Promise.all([frame('child.html'), frame(`${crossOrigin}/lifecycle/child.html?nest`)]).then(([kept, removed]) => {
  window.removeFrame = () => {
    removed.remove();
    log('removed the cross-origin frame');
  };
  document.getElementById('remove').onclick = window.removeFrame;
  window.scenarioReady = true;
});
