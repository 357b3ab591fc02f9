// Builders for synthetic page event streams: one Doc per reporting document, each batch
// numbered like the real batcher (seq from 1), so tests can reorder, resend and drop them.

import { PROTOCOL_VERSION, type PageBatch, type PageEvent, type Predicted, type TransferRef, type WindowPath } from '../../../src/protocol/messages';
import type { BatchSource } from '../../../src/aggregate';

export interface Fed {
  batch: PageBatch;
  source: BatchSource;
}

export class Doc {
  private seq = 0;
  private msg = 0;
  readonly out: Fed[] = [];
  constructor(
    readonly doc: string,
    readonly source: BatchSource,
  ) {}

  batch(events: PageEvent[], strings?: [number, string][], upTo?: number): Fed {
    const f: Fed = {
      batch: { v: PROTOCOL_VERSION, doc: this.doc, seq: ++this.seq, events, ...(strings ? { strings } : {}), ...(upTo !== undefined ? { upTo } : {}) },
      source: this.source,
    };
    this.out.push(f);
    return f;
  }

  nextMsg(): number {
    return ++this.msg;
  }
}

export const ctx = (at: number, url: string, top: boolean, indexInParent?: number): PageEvent => ({
  k: 'context',
  at,
  kind: 'window',
  url,
  origin: new URL(url).origin,
  top,
  ...(indexInParent !== undefined ? { indexInParent } : {}),
});

export const channel = (at: number, port1: number, port2: number): PageEvent => ({ k: 'channel', at, port1, port2 });

export const portIn = (local: number): TransferRef => ({ kind: 'MessagePort', id: local });

export function postPort(at: number, msg: number, port: number, transfer: TransferRef[] = [], predicted: Predicted = { o: 'sent' }): PageEvent {
  return { k: 'post', at, msg, via: 'port', port, transfer, predicted };
}

export function postWindow(at: number, msg: number, target: WindowPath, targetOrigin: string, transfer: TransferRef[] = [], predicted: Predicted = { o: 'sent' }): PageEvent {
  return { k: 'post', at, msg, via: 'window', target, targetOrigin, transfer, predicted };
}

export function deliverPort(at: number, port: number, preview: string, ports: number[] = [], listeners = 1): PageEvent {
  return { k: 'deliver', at, type: 'message', via: 'port', port, ports, listeners, preview };
}

export function deliverWindow(at: number, source: WindowPath, origin: string, preview: string, ports: number[] = []): PageEvent {
  return { k: 'deliver', at, type: 'message', via: 'window', source, origin, ports, listeners: 1, preview };
}

export const start = (at: number, port: number): PageEvent => ({ k: 'start', at, port });
export const close = (at: number, port: number): PageEvent => ({ k: 'close', at, port });

/** The same items in a fixed pseudo-random order (deterministic per seed). */
export function shuffled<T>(items: T[], seed: number): T[] {
  const a = items.slice();
  let s = seed >>> 0 || 1;
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export const UP1: WindowPath = { up: 1, down: [] };
export const CHILD0: WindowPath = { up: 0, down: [0] };
