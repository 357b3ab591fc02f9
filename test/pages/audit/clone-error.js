// Expect: clone-error twice — a function in the message, and a MessagePort in the message
// that is not in the transfer list. Each is its own call site.
(async () => {
  const { port1, port2 } = new MessageChannel();
  port2.onmessage = () => {};
  try {
    port1.postMessage({ type: 'save', onDone: () => console.log('done') });
  } catch (err) {
    console.log('threw', err.name);
  }
  const reply = new MessageChannel();
  try {
    port1.postMessage({ type: 'call', reply: reply.port2 }); // forgot [reply.port2]
  } catch (err) {
    console.log('threw', err.name);
  }
  await settle();
  finish();
})();
