// Host side of an RPC client: one port to the worker, a request id per call, a map of
// pending promises. Large results arrive transferred, not copied.
(async () => {
  const worker = new Worker('rpc-server.js');
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ type: 'connect' }, [port2]);
  const pending = new Map();
  let nextId = 1;
  port1.onmessage = ({ data }) => {
    pending.get(data.id)?.(data);
    pending.delete(data.id);
  };
  const call = (method, args) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      port1.postMessage({ id, method, args });
    });
  for (let i = 0; i < 50; i++) await call('sum', [i, i + 1]);
  const { buffer } = await call('render', [2 * 1024 * 1024]);
  document.body.append(`rendered ${buffer.byteLength} bytes`);
  // The client stays connected for the life of the page: one long-lived port, not a leak.
  await settle();
  finish();
})();
