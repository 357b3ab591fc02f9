// structuredClone(value, { transfer }): a copy within this context that neuters what it
// transfers, as postMessage does. Only clones with a transfer list are recorded (a plain
// deep copy moves nothing and would flood the trace); each is a send and an immediate
// delivery on the context's own clone lane, so a buffer or port it neutered shows as
// transferred, and one that the value does not reference shows as lost.
import type { Instr } from './context';
import { readTransfer } from './transfers';

/** Containers opened when looking for the new ports in a clone's result. */
const PORT_SEARCH_NODES = 256;

export function instrumentStructuredClone(I: Instr): void {
  const { g, n, rec, shadow } = I;
  const native = n.getOwnPropertyDescriptor(g, 'structuredClone')?.value as ((v: unknown, o?: unknown) => unknown) | undefined;
  if (typeof native !== 'function') return;
  I.disguise.method(g, 'structuredClone', {
    structuredClone(this: unknown, _value: unknown) {
      if (!rec.active) return n.apply(native, this, arguments);
      // The browser reads the options itself; this reads them through data properties only.
      const transfer = readTransfer(I, arguments[1], true);
      if (transfer.refs.length === 0) return n.apply(native, this, arguments);
      const at = n.now();
      const msg = I.nextMessageId();
      let result: unknown;
      try {
        result = n.apply(native, this, arguments);
      } catch (err) {
        const path = I.cloneErrorPath(err, _value, transfer.objects);
        rec.emit({ k: 'post', at, msg, via: 'clone', transfer: transfer.refs, predicted: I.errorOutcome(err, path), stack: I.stack() });
        throw err;
      }
      try {
        record(result, at, msg, transfer.refs);
      } catch {
        /* never into the page */
      }
      return result;
    },
  }.structuredClone);

  function record(result: unknown, at: number, msg: number, refs: ReturnType<typeof readTransfer>['refs']) {
    const shipped: number[] = n.list();
    for (let i = 0; i < refs.length; i++) if (refs[i].kind === 'MessagePort') shipped[shipped.length] = refs[i].id!;
    if (shipped.length) shadow.transferred(shipped);
    rec.emit({ k: 'post', at, msg, via: 'clone', transfer: refs, predicted: { o: 'sent' }, stack: I.stack() });
    // The caller is the one receiver (listeners: 1). The ports of the copy are new objects, entangled where the originals were: they are
    // reported in the order found, which is the transfer order when the value holds each once.
    const arrived: number[] = n.list();
    if (shipped.length) {
      const ports = portsIn(result);
      for (let i = 0; i < ports.length; i++) arrived[i] = I.portId(ports[i]);
    }
    const s = I.sample(result, true);
    rec.emit({ k: 'deliver', at: n.now(), type: 'message', via: 'clone', ports: arrived, listeners: 1, sample: s.text ?? undefined, bufferBytes: s.bufferBytes });
  }

  /** MessagePorts reachable from a fresh clone, breadth first, within a fixed budget. */
  function portsIn(root: unknown): MessagePort[] {
    const found: MessagePort[] = n.list();
    const queue: unknown[] = n.list();
    queue[0] = root;
    const seen = new n.WeakMap<object, true>();
    for (let head = 0; head < queue.length && head < PORT_SEARCH_NODES; head++) {
      const v = queue[head];
      if (typeof v !== 'object' || v === null || n.weakHas(seen, v)) continue;
      n.weakSet(seen, v, true);
      if (n.isPort(v)) {
        found[found.length] = v;
        continue;
      }
      if (n.isView(v)) continue;
      const keys = n.keys(v);
      for (let i = 0; i < keys.length && queue.length < PORT_SEARCH_NODES; i++) queue[queue.length] = n.dataProp(v, keys[i]);
    }
    return found;
  }
}
