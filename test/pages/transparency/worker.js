// Dedicated worker of the transparency scenarios: echoes over a port it is given.
onmessage = (e) => {
  const d = e.data;
  if (e.ports.length) {
    const port = e.ports[0];
    port.onmessage = (ev) => port.postMessage({ echo: ev.data, ports: ev.ports.length });
    postMessage({ hello: d, ports: e.ports.length, origin: e.origin, isTrusted: e.isTrusted });
  } else if (d && d.buf) {
    postMessage({ bytes: d.buf.byteLength });
  } else {
    postMessage({ got: typeof d === 'string' ? d : typeof d });
  }
};
