// Worker side of the RPC: answers each request on the port it was given, by id. Big results
// are transferred.
self.onmessage = (e) => {
  if (e.data?.type !== 'connect') return;
  const port = e.ports[0];
  port.onmessage = ({ data }) => {
    if (data.method === 'sum') port.postMessage({ id: data.id, value: data.args[0] + data.args[1] });
    else if (data.method === 'render') {
      const buffer = new ArrayBuffer(data.args[0]);
      port.postMessage({ id: data.id, buffer }, [buffer]);
    }
  };
};
