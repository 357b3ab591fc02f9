// Expect: large-copy, 2 messages from one call site (sendTile), 4.0 MB copied (largest 2.0 MB).
(async () => {
  const { port1, port2 } = new MessageChannel();
  port2.onmessage = (e) => console.log('tile', e.data.pixels.byteLength);
  const sendTile = (pixels) => port1.postMessage({ pixels }); // no transfer list: copied
  for (let i = 0; i < 2; i++) sendTile(new ArrayBuffer(2 * 1024 * 1024));
  await settle();
  finish();
})();
