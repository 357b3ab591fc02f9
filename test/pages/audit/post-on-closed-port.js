// Expect: post-on-closed-port twice — port2, 2 messages after its own close() (port-closed);
// port1, 1 message after its partner port2 closed (partner-closed). port1 is closed at the end,
// so no port-leak.
(async () => {
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = () => {};
  port2.onmessage = () => {};
  port1.postMessage('hello'); // delivered
  await settle(1);
  port2.close();
  port2.postMessage('after my close 1');
  port2.postMessage('after my close 2');
  port1.postMessage('after partner close');
  port1.close();
  await settle();
  finish();
})();
