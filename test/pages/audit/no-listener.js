// Expect: no-listener twice — port2 (4 messages: started, no listener, before and after
// listeners that came and went) and the page's own window (1 message posted to itself
// before any 'message' listener exists). The 2 messages heard in between are delivered.
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
  // A listener that removes itself once it heard its message: the next one reaches nobody.
  const heard = new Promise((resolve) => {
    const on = (e) => {
      if (e.data !== 'heard') return;
      port2.removeEventListener('message', on);
      resolve();
    };
    port2.addEventListener('message', on);
  });
  port1.postMessage('heard');
  await heard;
  port1.postMessage('lost 3');
  await settle();
  // A once listener, the same way.
  const once = new Promise((resolve) => port2.addEventListener('message', resolve, { once: true }));
  port1.postMessage('heard once');
  await once;
  port1.postMessage('lost 4');
  await settle();
  finish();
})();
