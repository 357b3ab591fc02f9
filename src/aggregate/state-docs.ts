// The documents a Session follows, and their contexts, as plain data and back (state.ts
// writes and reads the rest): sequence numbers and held batches, string tables, local port
// ids, and each context's ring of recent messages by stored id.

import type { PageBatch } from '../protocol/messages';
import type { Core, CtxState, DocState } from './core';
import { IdRanges, type IdRuns } from './ranges';

export interface CtxStateData {
  n: number;
  contextId: number;
  ports: [number, number][];
  reports: boolean;
  /** [local message id, stored message id] */
  recent: [number, number][];
  /** Local ids of ports the budget evicted, and how many ports it held then (budgets.ts). */
  evictedLocals?: IdRuns;
  lostPorts?: number;
}

export interface DocStateData {
  doc: string;
  frameId: number;
  nextSeq: number;
  held: PageBatch[];
  strings: [number, string][];
  objects: [number, number][];
  windowSends: boolean;
  /** null for -Infinity (nothing seen yet), so JSON keeps it. */
  lastAt: number | null;
  ctxs: CtxStateData[];
}

/** Every document and its contexts as data. */
export function writeDocs(s: Core): DocStateData[] {
  const docs: DocStateData[] = [];
  for (const d of s.docs.values()) {
    const ctxs: CtxStateData[] = [];
    for (const [n, c] of d.ctxs) {
      const recent: [number, number][] = [];
      for (let i = 0; i < c.recentLocal.length; i++) {
        const r = c.recentRec[i];
        if (r && r.id > 0 && s.store.get(r.id) === r) recent.push([c.recentLocal[i], r.id]);
      }
      const cd: CtxStateData = { n, contextId: c.rec.id, ports: [...c.ports], reports: c.reports, recent };
      if (c.evictedLocals) cd.evictedLocals = c.evictedLocals.toJSON();
      if (c.lostPorts) cd.lostPorts = c.lostPorts;
      ctxs.push(cd);
    }
    docs.push({
      doc: d.doc,
      frameId: d.frameId,
      nextSeq: d.nextSeq,
      held: [...d.held.values()],
      strings: [...d.strings],
      objects: [...d.objects],
      windowSends: d.windowSends,
      lastAt: Number.isFinite(d.lastAt) ? d.lastAt : null,
      ctxs,
    });
  }
  return docs;
}

/** Puts back the documents and contexts of `docs` (contexts and stored messages are read already). */
export function readDocs(s: Core, docs: DocStateData[]): void {
  for (const dd of docs) {
    const d = {
      doc: dd.doc,
      frameId: dd.frameId,
      nextSeq: dd.nextSeq,
      held: new Map(dd.held.map((b) => [b.seq, b])),
      strings: new Map(dd.strings),
      ctxs: new Map(),
      objects: new Map(dd.objects),
      lastAt: dd.lastAt ?? -Infinity,
      windowSends: dd.windowSends,
    } as unknown as DocState;
    for (const cd of dd.ctxs) {
      const rec = s.contexts[cd.contextId - 1];
      // A worker's context is in its creator's document and, as its main one, in its own stream's.
      const shared = s.ctxById.get(rec.id);
      if (shared) {
        d.ctxs.set(cd.n, shared);
        if (cd.n === 0) shared.doc = d;
        continue;
      }
      const c: CtxState = {
        rec,
        doc: d,
        ports: new Map(cd.ports),
        unknown: new Map(),
        reports: cd.reports,
        recentLocal: new Array(cd.recent.length).fill(-1),
        recentRec: new Array(cd.recent.length),
        recentPos: 0,
      };
      if (cd.evictedLocals) c.evictedLocals = new IdRanges(cd.evictedLocals);
      if (cd.lostPorts) c.lostPorts = cd.lostPorts;
      // Rebuild the recent-message ring at its full size.
      const size = Math.max(64, cd.recent.length);
      c.recentLocal = new Array(size).fill(-1);
      c.recentRec = new Array(size);
      cd.recent.forEach(([local, id], i) => {
        const r = s.store.get(id);
        if (r) {
          c.recentLocal[i] = local;
          c.recentRec[i] = r;
        }
      });
      c.recentPos = cd.recent.length % size;
      d.ctxs.set(cd.n, c);
      s.ctxById.set(rec.id, c);
    }
    d.main = d.ctxs.get(0) as CtxState;
    s.docs.set(d.doc, d);
  }
}
