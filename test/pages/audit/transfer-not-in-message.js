// Expect: transfer-not-in-message, 1 message, 4.0 KB lost: `frame` is in the transfer list
// but the message only carries its size and a small header copy.
(async () => {
  const { port1, port2 } = new MessageChannel();
  port2.onmessage = (e) => console.log('got', e.data);
  const frame = new ArrayBuffer(4096);
  const header = new Uint8Array([1, 2, 3, 4]);
  port1.postMessage({ size: frame.byteLength, header }, [frame]); // bug: should send `frame`
  console.log('frame.byteLength after:', frame.byteLength); // 0: detached
  await settle();
  finish();
})();
