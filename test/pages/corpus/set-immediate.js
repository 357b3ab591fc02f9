// setImmediate over window.postMessage to itself, as older polyfills do: "*" is harmless for
// a message to one's own window, and the listener checks both source and origin.
(async () => {
  const queue = [];
  const key = `setImmediate$${Math.random()}`;
  window.addEventListener('message', (e) => {
    if (e.source !== window || e.origin !== location.origin || e.data !== key) return;
    queue.shift()?.();
  });
  const setImmediate = (fn) => {
    queue.push(fn);
    window.postMessage(key, '*');
  };
  let n = 0;
  await new Promise((resolve) => {
    const tick = () => (++n < 500 ? setImmediate(tick) : resolve());
    setImmediate(tick);
  });
  await settle();
  finish();
})();
