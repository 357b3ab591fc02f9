// A shared worker that answers each message on the port of the page that connected.
onconnect = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => port.postMessage({ kind: 'shared-echo', got: m.data });
};
