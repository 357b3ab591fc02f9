// promise-worker's worker side: squares, or throws on purpose.
importScripts('/vendor/promise-worker.register.js');
registerPromiseWorker((msg) => {
  if (msg.op === 'boom') throw new Error('boom in the worker');
  return msg.n * msg.n;
});
