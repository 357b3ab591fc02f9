// The worker's end of its private link to the context that made it (issue 21): the first
// message the worker posts, before its own code runs, carries a port nobody else holds; the
// creator's Worker wrapper takes it out of the event stream (worker-link.ts). Batches go up
// that port; recording and sync commands come down it (commands.ts).
import { WORKER_HELLO_KEY, PROTOCOL_VERSION, type WireBatch, type WorkerHello } from '../protocol/messages';
import type { Natives } from './natives';
import type { Recorder, Transport } from './recorder';
import type { WorkerLinks } from './worker-link';
import { wireOf } from './bridge';
import { dispatchCommand, type CommandParts } from './commands';

export interface WorkerBridge extends Transport {
  forward(wire: WireBatch): void;
  attach(rec: Recorder, links?: WorkerLinks): void;
}

/** Null when this scope has no postMessage of its own (not a dedicated worker). */
export function openWorkerBridge(n: Natives, g: typeof globalThis, token: string): WorkerBridge | null {
  const post = n.getOwnPropertyDescriptor(g, 'postMessage')?.value as Function | undefined;
  if (typeof post !== 'function') return null;
  const channel = new n.MessageChannel();
  const port = channel.port1;
  // Recording and sync only: the panel's tools are a document's, and nothing is answered.
  const parts: CommandParts = { rec: null, links: null, breaks: null, store: null, replayer: null, reply: null };
  n.apply(n.addEventListener, port, ['message', (e: MessageEvent) => dispatchCommand(n, n.eventData(e), parts)]);
  n.apply(n.portStart, port, []);
  // A literal: no worker code has run yet.
  const hello: WorkerHello = { [WORKER_HELLO_KEY]: PROTOCOL_VERSION, token };
  n.apply(post, g, [hello, [channel.port2]]);
  return {
    send(batch) {
      n.apply(n.portPostMessage, port, [wireOf(n, batch)]);
    },
    forward(wire) {
      n.apply(n.portPostMessage, port, [wire]);
    },
    attach(rec, links) {
      parts.rec = rec;
      parts.links = links ?? null;
    },
  };
}
