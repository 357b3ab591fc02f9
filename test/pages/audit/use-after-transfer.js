// Expect: use-after-transfer, 2 postMessage calls at one call site (send), both DataCloneError:
// the buffer, then a view on it, sent again after the first transfer detached it.
(async () => {
  const { port1, port2 } = new MessageChannel();
  port2.onmessage = () => {};
  const buffer = new ArrayBuffer(1024);
  const view = new Float32Array(buffer);
  port1.postMessage({ buffer }, [buffer]); // fine: transferred
  const send = (data) => {
    try {
      port1.postMessage(data);
    } catch (err) {
      console.log('threw', err.name);
    }
  };
  for (const data of [{ buffer }, { view }]) send(data);
  await settle();
  finish();
})();
