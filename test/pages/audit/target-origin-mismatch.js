// Expect: target-origin-mismatch, 2 messages, one call site (sendToSelf). The page is on
// 127.0.0.1 and names localhost: the browser drops both at delivery. Visible because the send
// is to a window whose postMessage the instrumentation wraps (the page itself).
(async () => {
  window.addEventListener('message', (e) => {
    if (e.origin === location.origin) console.log('never runs', e.data);
  });
  const sendToSelf = (data) => window.postMessage(data, `http://localhost:${location.port}`);
  for (let i = 0; i < 2; i++) sendToSelf({ i });
  await settle();
  finish();
})();
