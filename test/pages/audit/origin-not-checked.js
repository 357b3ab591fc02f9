// Expect: origin-not-checked, 1 message from http://localhost:<port> to this page, whose
// listener uses event.data without reading event.origin. (openChild's own listener reads it,
// so it is removed first: only the 'ready' of the second child counts.)
(async () => {
  await openChild(); // the handshake listener checks origins: no finding
  window.addEventListener('message', (e) => {
    if (e.data?.type === 'ready') document.body.append(`child ready (${e.data.mode})`); // no origin check
  });
  const frame = document.createElement('iframe');
  frame.src = `${childOrigin}/audit/child.html?mode=unchecked`;
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve));
  await settle();
  finish();
})();
