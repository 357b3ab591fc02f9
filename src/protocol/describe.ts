// One line of text for a page event, shared by the panel and the command line.
import type { PageEvent } from './messages';
import { readSample } from './sample-check';
import { samplePreview } from './sample-preview';

export function describe(e: PageEvent): string {
  switch (e.k) {
    case 'context':
      return `${e.kind} ${e.origin}${e.top ? ' (top)' : ''}`;
    case 'end':
      return `context ${e.ctx} ended`;
    case 'channel':
      return `ports #${e.port1} ⇄ #${e.port2}`;
    case 'post': {
      const from = e.via === 'port' ? `port #${e.port}` : e.via;
      const to = e.via === 'window' ? ` → ${e.targetOrigin ?? '/'}` : '';
      const tr = e.transfer.length ? ` transfer [${e.transfer.map((t) => t.kind + (t.bytes !== undefined ? `(${t.bytes})` : '')).join(', ')}]` : '';
      const outcome = e.predicted.o === 'error' ? ` ✖ ${e.predicted.name}: ${e.predicted.message}` : '';
      return `msg ${e.msg} via ${from}${to}${tr}${outcome}`;
    }
    case 'deliver':
      return `${e.type} on ${e.via === 'port' ? `port #${e.port}` : e.via}${e.origin ? ` from ${e.origin}` : ''}${e.ports.length ? ` +${e.ports.length} ports` : ''}: ${e.preview ?? previewOf(e.sample)}`;
    case 'start':
    case 'close':
      return `port #${e.port}${e.k === 'start' && e.implicit ? ' (onmessage)' : ''}`;
    case 'ports':
      return `state of ${Math.floor(e.ports.length / 3)} ports when recording began`;
    case 'listen':
      return `${e.op} ${e.type}${e.id !== undefined ? ` listener #${e.id}` : ''}${e.name ? ` ${e.name}` : ''}${e.wrappedBy ? ` (${e.wrappedBy})` : ''}`;
    case 'listenerStats':
      return `counts of ${Math.floor(e.stats.length / 3)} listeners`;
    case 'mismatch':
      return `expected ${e.expected}, got ${e.actual}`;
    case 'dropped':
      return `${e.count} dropped (${e.cause})`;
  }
}

function previewOf(text: string | undefined): string {
  const s = readSample(text, Infinity);
  return s === null ? '' : samplePreview(s);
}
