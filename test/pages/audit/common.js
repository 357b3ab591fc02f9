// Helpers shared by the audit pages: a cross-origin child frame with a control port, and
// the end-of-scenario flag the e2e tests wait for.
window.childOrigin = `http://localhost:${location.port}`;

/** Loads child.html cross-origin; resolves with a port entangled with the child's control port. */
window.openChild = (mode = '') =>
  new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.src = `${childOrigin}/audit/child.html${mode ? `?mode=${mode}` : ''}`;
    const onReady = (e) => {
      if (e.origin !== childOrigin || e.data?.type !== 'ready') return;
      window.removeEventListener('message', onReady);
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = (m) => {
        if (m.data?.type === 'serving') resolve({ frame, control: port1 });
      };
      frame.contentWindow.postMessage({ type: 'connect' }, childOrigin, [port2]);
    };
    window.addEventListener('message', onReady);
    document.body.append(frame);
  });

/** Waits for `n` rounds of the event loop (lets queued messages be dispatched, or not). */
window.settle = (n = 3) => new Promise((resolve) => {
  const step = (k) => (k ? setTimeout(() => step(k - 1), 20) : resolve());
  step(n);
});

window.finish = () => {
  window.scenarioDone = true;
  document.title += ' — done';
};
