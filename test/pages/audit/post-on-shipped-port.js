// Expect: post-on-shipped-port on `updates.port2` (3 messages dropped, reason port-shipped),
// stack pointing at pushUpdate below.
(async () => {
  const { control } = await openChild();
  const updates = new MessageChannel();
  updates.port1.onmessage = () => {};
  // The port goes to the child...
  control.postMessage({ type: 'updates' }, [updates.port2]);
  // ...but the page keeps the old reference and uses it: the object is detached now.
  const pushUpdate = (n) => updates.port2.postMessage({ n });
  for (let n = 0; n < 3; n++) pushUpdate(n);
  await settle();
  finish();
})();
