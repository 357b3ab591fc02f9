// The top: two framed children get a port each and answer a ping; then one is removed, and
// the page posts once more on the port whose partner went with it (lost: nothing says so).
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
        ok({ f, port: port1 });
      };
      f.contentWindow.postMessage('port', '*', [port2]);
      port1.postMessage('ping');
    };
    addEventListener('message', onReady);
  });
}

// One frame after the other: the background tells which port arrived where by the traffic
// that follows (window sends are not reported), and two identical handshakes at once would
// leave it two candidates for each arrival.
frame('child.html').then(() => frame(`${crossOrigin}/lifecycle/child.html?nest`)).then((removed) => {
  window.removeFrame = () => {
    removed.f.remove();
    log('removed the cross-origin frame');
  };
  window.postToRemoved = () => {
    removed.port.postMessage('anyone there?');
    log('posted to the removed frame');
  };
  document.getElementById('remove').onclick = window.removeFrame;
  document.getElementById('post').onclick = window.postToRemoved;
  window.scenarioReady = true;
});
