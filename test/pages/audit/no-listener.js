// Expect: no-listener twice — port2 (2 messages: started, no listener) and the page's own
// window (1 message posted to itself before any 'message' listener exists).
(async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start(); // enabled, but nobody listens
  port1.postMessage('lost 1');
  port1.postMessage('lost 2');
  window.postMessage({ type: 'early' }, location.origin);
  await settle();
  // Added too late for the message above.
  window.addEventListener('message', (e) => {
    if (e.origin === location.origin) console.log('late listener', e.data);
  });
  await settle();
  finish();
})();
