// Export to the Chrome trace event format (JSON), which Perfetto and chrome://tracing open:
// one track per context, a slice per send and per delivery, and a flow arrow from each send
// to its delivery. Lost messages are instant markers on the sender's track.

import type { ContextRecord, MessageRecord } from '../protocol/session';
import type { TraceDocument } from './format';

export interface ChromeTraceEvent {
  name: string;
  ph: 'X' | 'i' | 's' | 'f' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: 'e';
  s?: 't';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string>;
}

const PID = 1;
/** Track for messages whose sender or receiver is not known. */
const UNKNOWN_TID = 0;

function contextLabel(c: ContextRecord): string {
  return `${c.id} ${c.kind} ${c.url || c.origin || '(unknown)'}`;
}

export function toChromeTrace(doc: TraceDocument): ChromeTrace {
  const ev: ChromeTraceEvent[] = [];
  let t0 = Infinity;
  for (const m of doc.messages) {
    if (m.sentAt !== null && m.sentAt < t0) t0 = m.sentAt;
    if (m.deliveredAt !== null && m.deliveredAt < t0) t0 = m.deliveredAt;
  }
  for (const c of doc.contexts) if (c.createdAt !== null && c.createdAt < t0) t0 = c.createdAt;
  if (t0 === Infinity) t0 = 0;
  // Microseconds from the first recorded instant keeps numbers small and exact enough.
  const us = (t: number) => Math.round((t - t0) * 1000);

  ev.push({ name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name: doc.meta.title ?? 'inspected tab' } });
  ev.push({ name: 'thread_name', ph: 'M', pid: PID, tid: UNKNOWN_TID, args: { name: 'unknown context' } });
  for (const c of doc.contexts) {
    ev.push({ name: 'thread_name', ph: 'M', pid: PID, tid: c.id, args: { name: contextLabel(c) } });
    ev.push({ name: 'thread_sort_index', ph: 'M', pid: PID, tid: c.id, args: { sort_index: c.id } });
  }
  for (const p of doc.ports) {
    if (p.createdIn !== null && p.createdAt !== null && p.channelId !== null && p.entangledWith !== null && p.id < p.entangledWith) {
      ev.push({ name: `MessageChannel ${p.channelId}`, ph: 'i', s: 't', cat: 'port', pid: PID, tid: p.createdIn, ts: us(p.createdAt), args: { ports: [p.id, p.entangledWith] } });
    }
  }
  for (const m of doc.messages) pushMessage(ev, m, us);
  return { traceEvents: ev, displayTimeUnit: 'ms', otherData: { format: doc.format, version: String(doc.version), tool: doc.meta.tool } };
}

function pushMessage(ev: ChromeTraceEvent[], m: MessageRecord, us: (t: number) => number): void {
  const from = m.fromContext ?? UNKNOWN_TID;
  const to = m.toContext ?? UNKNOWN_TID;
  const args: Record<string, unknown> = { message: m.id, via: m.via, outcome: m.outcome.reason ? `${m.outcome.status}: ${m.outcome.reason}` : m.outcome.status };
  if (m.preview !== null) args.preview = m.preview;
  if (m.transfer.length) args.transfer = m.transfer.map((t) => `${t.kind}${t.id !== null ? ` ${t.id}` : ''}`);
  if (m.waitMs !== null) args.waitMs = m.waitMs;
  const sent = m.sentAt !== null ? us(m.sentAt) : null;
  const delivered = m.deliveredAt !== null ? us(m.deliveredAt) : null;
  if (sent !== null) {
    ev.push({ name: `postMessage (${m.via})`, ph: 'X', cat: 'message', pid: PID, tid: from, ts: sent, dur: 1, args });
    if (m.outcome.status === 'dropped' || m.outcome.status === 'error') {
      ev.push({ name: `${m.outcome.status}: ${m.outcome.reason ?? ''}`, ph: 'i', s: 't', cat: 'lost', pid: PID, tid: from, ts: sent, args });
    }
  }
  if (delivered !== null) {
    const dur = Math.max(1, Math.round((m.handlerMs ?? 0) * 1000));
    ev.push({ name: m.type, ph: 'X', cat: 'message', pid: PID, tid: to, ts: delivered, dur, args });
  }
  if (sent !== null && delivered !== null) {
    // Flow events bind to the slices that enclose them: the send slice and the delivery slice.
    ev.push({ name: 'message', ph: 's', cat: 'message', id: m.id, pid: PID, tid: from, ts: sent });
    ev.push({ name: 'message', ph: 'f', bp: 'e', cat: 'message', id: m.id, pid: PID, tid: to, ts: Math.max(delivered, sent) });
  }
}
