// Expect: port-never-started on port2 (3 messages, status queued). addEventListener does not
// enable the port message queue; only start() or onmessage does.
(async () => {
  const { port1, port2 } = new MessageChannel();
  port2.addEventListener('message', (e) => console.log('never runs', e.data));
  // Bug: port2.start() is missing.
  for (let i = 0; i < 3; i++) port1.postMessage({ tick: i });
  await settle();
  finish();
})();
