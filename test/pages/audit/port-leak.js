// Expect: port-leak twice — a warning for 120 MessageChannels created by this page and open
// on both ends (one per request to the child, never closed), with the stack of `request`;
// and an info finding for `status.port1`, still listening after its partner was closed.
(async () => {
  const { control } = await openChild();
  const request = (id) =>
    new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = (e) => resolve(e.data.result); // bug: neither end is ever closed
      control.postMessage({ type: 'request', id }, [port2]);
    });
  for (let id = 0; id < 120; id++) await request(id);

  const status = new MessageChannel();
  status.port1.onmessage = () => {};
  status.port2.close();
  await settle();
  finish();
})();
