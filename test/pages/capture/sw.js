// A service worker that answers the client that wrote to it.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('message', (e) => e.source.postMessage({ kind: 'sw-echo', got: e.data }));
