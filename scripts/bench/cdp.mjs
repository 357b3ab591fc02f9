// Raw CDP over the browser's debugging port, for targets playwright does not hand out
// a session for (the extension's service worker).
import WebSocket from 'ws';

export async function connectTarget(wsUrl) {
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  let id = 0;
  const waiting = new Map();
  const handlers = new Map();
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString());
    if (m.method) for (const fn of handlers.get(m.method) ?? []) fn(m.params, m.sessionId);
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    m.error ? w.fail(new Error(m.error.message)) : w.ok(m.result);
  });
  // sessionId: a target attached with flatten (Target.attachToTarget) over the browser's socket.
  const send = (method, params = {}, sessionId = undefined) =>
    new Promise((ok, fail) => {
      waiting.set(++id, { ok, fail });
      ws.send(JSON.stringify({ id, method, params, sessionId }));
    });
  /** Events: on('Tracing.dataCollected', (params, sessionId) => ...). */
  const on = (method, fn) => handlers.set(method, [...(handlers.get(method) ?? []), fn]);
  return { send, on, close: () => ws.close() };
}

/** The extension's service worker as a CDP target: heap() = used JS heap after a full GC. */
export async function serviceWorkerTarget(debugPort, extensionId) {
  const list = await (await fetch(`http://127.0.0.1:${debugPort}/json/list`)).json();
  const t = list.find((x) => x.type === 'service_worker' && x.url.startsWith(`chrome-extension://${extensionId}/`));
  if (!t) throw new Error('no service worker target');
  const c = await connectTarget(t.webSocketDebuggerUrl);
  return {
    async heap() {
      try {
        await c.send('HeapProfiler.collectGarbage');
        return (await c.send('Runtime.getHeapUsage')).usedSize;
      } finally {
        c.close();
      }
    },
  };
}
