// The child frames of the transparency scenarios; ?role= says what this one does.
import { eventFields, fmt } from './helpers.mjs';

const params = new URLSearchParams(location.search);
const role = params.get('role');

function bytesOf(d) {
  if (d && typeof d === 'object') {
    for (const k of ['buf', 'last']) if (d[k] instanceof ArrayBuffer) return d[k].byteLength;
  }
  return null;
}

if (role === 'echo-port') {
  window.addEventListener('message', (e) => {
    const d = e.data;
    if (d && d.hello) {
      const port = e.ports[0];
      if (port) port.onmessage = (ev) => port.postMessage({ echo: fmt(ev.data), bytes: bytesOf(ev.data), ports: ev.ports.length, origin: ev.origin });
      e.source.postMessage({ echo: 'hello', fields: eventFields(e), sourceIsParent: e.source === parent }, '*');
    } else if (d && d.ping) {
      e.source.postMessage({ echo: 'ping', data: fmt(d), origin: e.origin }, '*');
    }
  });
} else if (role === 'post-parent') {
  window.addEventListener('message', (e) => {
    if (e.data && e.data.direct) e.source.postMessage({ echo: 'direct', n: e.data.direct, sourceIsParent: e.source === parent, origin: e.origin }, '*');
  });
  parent.postMessage({ from: 'child', origin: location.origin }, '*');
} else if (role === 'bc') {
  const name = params.get('name');
  const bc = new BroadcastChannel('ci-test');
  bc.onmessage = (e) => parent.postMessage({ bc: name, got: fmt(e.data), originOk: e.origin === location.origin, source: e.source, ports: e.ports.length, isTrusted: e.isTrusted }, '*');
  window.addEventListener('message', (e) => {
    if (e.data && e.data.send) bc.postMessage(e.data.send);
  });
}
