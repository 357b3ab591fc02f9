// promise-worker's service worker side: answers on the port each request carries.
importScripts('/vendor/promise-worker.register.js');
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
registerPromiseWorker((msg) => {
  if (msg.op === 'boom') throw new Error('boom in the service worker');
  return msg.n * msg.n;
});
