// Level C: answers A over the relayed port.
window.addEventListener('message', (e) => {
  if (e.origin !== `http://localhost:${location.port}` || e.data?.kind !== 'port') return;
  const port = e.ports[0];
  port.onmessage = (m) => port.postMessage({ n: m.data.ask });
});
parent.postMessage('c-ready', `http://localhost:${location.port}`);
