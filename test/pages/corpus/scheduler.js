// A cooperative scheduler: run a slice of work, then yield by posting to itself on a
// MessageChannel (faster than setTimeout(0)). port2 only sends; port1 only receives.
(async () => {
  const { port1, port2 } = new MessageChannel();
  let remaining = 5000;
  const done = new Promise((resolve) => {
    port1.onmessage = () => {
      remaining--; // one slice of work
      if (remaining > 0) port2.postMessage(null);
      else resolve();
    };
  });
  port2.postMessage(null);
  await done;
  await settle();
  finish();
})();
