// Answers over the port it is given, and echoes direct messages.
onmessage = (e) => {
  if (e.ports[0]) e.ports[0].postMessage({ kind: 'worker-thanks' });
  else postMessage({ echo: e.data });
};
