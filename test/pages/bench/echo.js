// The far end of the cross-frame rows: echoes window messages to their source, and
// everything that arrives on a port it is given back on that port.
window.addEventListener('message', (e) => {
  const d = e.data;
  if (!d || typeof d !== 'object') return;
  if (d.t === 'port') {
    const port = e.ports[0];
    port.onmessage = (m) => port.postMessage(m.data);
    port.postMessage({ t: 'ready' });
  } else if (d.t === 'ping') {
    // Not e.source: a page-realm wrapper of postMessage (naive.js) changes the incumbent, so
    // the source would be wrong there; the parent is the only one that pings.
    parent.postMessage(d, '*');
  }
});
parent.postMessage({ t: 'echo-ready', origin: location.origin }, '*');
