// The ground-truth checker: a recorded session held against what each context of a program
// logged by itself (test/pages/ground-truth/gt.js). Pure: it runs in Node on a snapshot and
// the logs, so it is unit-tested on hand-made traces (test/unit/ground-truth).
//
// How records are tied to the truth, using only what each side observed:
// - a delivery's tag is in the record's sample (the receiver's clone of the payload);
// - a send's tag is the one logged send of the record's sending context whose clock interval
//   [t0, t1] around postMessage holds the record's sentAt (the page makes every send of a
//   context fall on its own clock tick, so at most one matches);
// - a port record's label comes from every record that names it (the port a logged send
//   went out on, the port a logged delivery came in on, the ports a message carried): one
//   port record claimed for two labels is two ports taken for one.
import type { AggregateSnapshot, ContextRecord, MessageRecord, PortRecord } from '../../src/protocol/session';
import { parseSample } from '../../src/protocol/sample';
import { tagPrefix, type GtBuffer, type GtProgram } from './ground-truth-program';

type LogVia = 'port' | 'window' | 'worker' | 'broadcast';

export interface SendEntry {
  e: 'send';
  via: LogVia;
  tag: string;
  carry: string[];
  buf: GtBuffer | null;
  port?: string;
  to?: string;
  channel?: string;
  targetOrigin?: string;
  t0: number;
  t1: number;
  error?: string;
}
export interface RecvEntry {
  e: 'recv';
  via: LogVia;
  tag: string | null;
  carry: string[];
  n: number;
  buf: number | null;
  t: number;
  port?: string;
  from?: string;
  channel?: string;
}
export type LogEntry =
  | SendEntry
  | RecvEntry
  | { e: 'channel'; a: string; b: string; t: number }
  | { e: 'start' | 'close'; port: string; t: number }
  | { e: 'done'; t: number }
  /** A worker this window made: the n-th Worker of its document. */
  | { e: 'worker'; name: string; n: number; t: number }
  | { e: 'error'; op: string; what: string };

/** Each context's own log, by context name. */
export type GtLogs = Record<string, LogEntry[]>;

export type ProblemKind =
  | 'wrong-join'
  | 'send-not-logged'
  | 'wrong-sender'
  | 'wrong-receiver'
  | 'wrong-holder'
  | 'conflated-port'
  | 'wrong-partner'
  | 'wrong-creator'
  | 'missing-delivery'
  | 'wrong-outcome';

export interface Problem {
  kind: ProblemKind;
  tag?: string;
  record?: number;
  port?: number;
  expected: string;
  recorded: string;
}

export interface CheckResult {
  seed: number;
  /** Logged sends (one message each; a broadcast counts once). */
  messages: number;
  /** Logged deliveries, and those in windows (where the recorder can see them). */
  deliveries: number;
  windowDeliveries: number;
  wrongJoins: Problem[];
  wrongHolders: Problem[];
  missing: Problem[];
  /** Other fields that disagree with the truth (sender, receiver, outcome). */
  otherWrong: Problem[];
  /** Messages whose join or port identity the trace leaves unknown, by reason. */
  unknown: number;
  unknownWhy: Record<string, number>;
  /** Harness faults (a log says something the program cannot explain). */
  harness: string[];
}

const grid = (t: number) => Math.round(t * 1000);

/** The tag a sample carries in its `gt` property. */
export function tagOfSample(sample: string | null | undefined): string | null {
  const s = parseSample(sample ?? null);
  if (!s || typeof s !== 'object' || s.$ !== 'object') return null;
  const v = s.entries.find(([k]) => k === 'gt')?.[1];
  return typeof v === 'string' ? v : null;
}

/**
 * Program context names by trace context id: windows name themselves in their URL; a worker
 * (recorded without a URL) is its creator's n-th Worker, which the creator logged.
 */
export function contextNames(snap: AggregateSnapshot, seed: number, logs: GtLogs, topUrl?: string): Map<number, string> {
  const out = new Map<number, string>();
  // One tab runs batch after batch: its top frame is the current page's (or the given one).
  const tops = snap.contexts.filter((c) => contextName(c, seed) === 'top' && (!topUrl || c.url === topUrl));
  const top = tops[tops.length - 1];
  for (const c of snap.contexts) {
    const name = contextName(c, seed);
    if (name && (name !== 'top' || c === top)) out.set(c.id, name);
  }
  for (const [creator, log] of Object.entries(logs)) {
    const ids = [...out].filter(([, n]) => n === creator).map(([id]) => id);
    for (const e of log) {
      if (e.e !== 'worker') continue;
      const w = snap.contexts.find((c) => c.kind === 'worker' && c.parentId !== null && ids.includes(c.parentId) && c.ctx === e.n);
      if (w) out.set(w.id, e.name);
    }
  }
  return out;
}

function contextName(c: ContextRecord, seed: number): string | null {
  let url: URL;
  try {
    url = new URL(c.url);
  } catch {
    return null;
  }
  if (!url.pathname.startsWith('/ground-truth/')) return null;
  if (c.top && c.kind === 'window' && url.pathname.endsWith('/index.html')) return 'top';
  return url.searchParams.get('s') === String(seed) ? url.searchParams.get('c') : null;
}

interface Sent extends SendEntry {
  ctx: string;
}
interface Recv extends RecvEntry {
  ctx: string;
}

/** Where each label was: its creator, then each context that received it, with the carrier. */
export function trueHolders(logs: GtLogs, label: string): { ctx: string; carrier: string | null }[] {
  const creator = Object.entries(logs).find(([, l]) => l.some((e) => e.e === 'channel' && (e.a === label || e.b === label)));
  if (!creator) return [];
  const out: { ctx: string; carrier: string | null }[] = [{ ctx: creator[0], carrier: null }];
  let ctx = creator[0];
  let after = creator[1].findIndex((e) => e.e === 'channel' && (e.a === label || e.b === label));
  for (let guard = 0; guard < 100; guard++) {
    const log = logs[ctx] ?? [];
    const i = log.findIndex((e, j) => j > after && e.e === 'send' && !e.error && e.carry.includes(label));
    if (i < 0) break;
    const tag = (log[i] as SendEntry).tag;
    const arrival = Object.entries(logs)
      .map(([c, l]) => [c, l.findIndex((e) => e.e === 'recv' && e.tag === tag && e.carry.includes(label))] as const)
      .find(([, j]) => j >= 0);
    if (!arrival) break;
    [ctx, after] = arrival;
    out.push({ ctx, carrier: tag });
  }
  return out;
}

export interface CheckOptions {
  /** The URL of the top frame the program ran in (default: the last ground-truth top page). */
  topUrl?: string;
  /** The logs of the other programs run in the same top frame: a record may join one of their sends. */
  others?: GtLogs[];
}

export function checkProgram(program: GtProgram, logs: GtLogs, snap: AggregateSnapshot, options: CheckOptions = {}): CheckResult {
  const seed = program.seed;
  const prefix = tagPrefix(seed);
  const names = contextNames(snap, seed, logs, options.topUrl);
  const nameOf = (id: number | null) => (id === null ? null : names.get(id) ?? `#${id}`);
  const partner = new Map(program.ports.map((p) => [p.label, p.partner]));
  const sends: Sent[] = [];
  const recvs: Recv[] = [];
  const harness: string[] = [];
  for (const [ctx, log] of Object.entries(logs)) {
    for (const e of log) {
      if (e.e === 'send') sends.push({ ...e, ctx });
      else if (e.e === 'recv' && e.tag?.startsWith(prefix)) recvs.push({ ...e, ctx });
      else if (e.e === 'error') harness.push(`${ctx}: ${e.what} in ${e.op}`);
    }
  }
  for (const c of program.contexts) if (!logs[c.name]?.some((e) => e.e === 'done')) harness.push(`${c.name} did not finish its operations`);
  const sendByTag = new Map(sends.map((s) => [s.tag, s]));
  const inSight = (ctx: string) => program.contexts.find((c) => c.name === ctx)?.kind === 'window';

  const wrongJoins: Problem[] = [];
  const wrongHolders: Problem[] = [];
  const missing: Problem[] = [];
  const otherWrong: Problem[] = [];
  const claims = new Map<number, { label: string; why: string }[]>();
  const claim = (port: number | null, label: string | undefined, why: string) => {
    if (port === null || !label) return;
    claims.set(port, [...(claims.get(port) ?? []), { label, why }]);
  };

  // The records of this program: its tags, its own contexts, or a send of its top frame.
  const topSends = sends.filter((s) => s.ctx === 'top');
  const otherTopSends: Sent[] = (options.others ?? []).flatMap((l) => (l.top ?? []).filter((e): e is SendEntry => e.e === 'send').map((e) => ({ ...e, ctx: 'top' })));
  const sendOf = (m: MessageRecord): Sent | null | undefined => {
    if (m.sentAt === null) return undefined;
    const ctx = nameOf(m.fromContext);
    const t = grid(m.sentAt);
    const hits = [...sends, ...(ctx === 'top' ? otherTopSends : [])].filter((s) => s.ctx === ctx && grid(s.t0) <= t && t <= grid(s.t1));
    return hits.length === 1 ? hits[0] : null;
  };
  const ours = snap.messages.filter((m) => {
    const tag = tagOfSample(m.sample);
    if (tag !== null) return tag.startsWith(prefix);
    const from = nameOf(m.fromContext);
    const to = nameOf(m.toContext);
    if ((from && from !== 'top' && !from.startsWith('#')) || (to && to !== 'top' && !to.startsWith('#'))) return true;
    return m.sentAt !== null && from === 'top' && topSends.some((s) => grid(s.t0) <= grid(m.sentAt!) && grid(m.sentAt!) <= grid(s.t1));
  });

  const recordsOfTag = new Map<string, { m: MessageRecord; side: 'send' | 'delivery' }[]>();
  const note = (tag: string, m: MessageRecord, side: 'send' | 'delivery') => recordsOfTag.set(tag, [...(recordsOfTag.get(tag) ?? []), { m, side }]);
  for (const m of ours) {
    const dTag = m.deliveredAt !== null ? tagOfSample(m.sample) : null;
    const send = sendOf(m);
    const from = nameOf(m.fromContext);
    const to = nameOf(m.toContext);
    if (send === null) {
      const p = { tag: dTag ?? undefined, record: m.id, expected: `a send logged by ${from} at ${m.sentAt}`, recorded: describe(m, names) };
      (m.deliveredAt !== null ? wrongJoins : otherWrong).push({ kind: 'send-not-logged', ...p });
    }
    if (send) note(send.tag, m, 'send');
    if (dTag) note(dTag, m, 'delivery');
    if (send && dTag && send.tag !== dTag) {
      wrongJoins.push({ kind: 'wrong-join', tag: dTag, record: m.id, expected: `the send of ${dTag} (${sendByTag.get(dTag)?.ctx ?? 'unknown sender'})`, recorded: `joined with the send of ${send.tag} by ${send.ctx}: ${describe(m, names)}` });
    }
    if (dTag) {
      const got = recvs.filter((r) => r.tag === dTag && r.ctx === to);
      if (!got.length) {
        const where = recvs.filter((r) => r.tag === dTag).map((r) => r.ctx);
        otherWrong.push({ kind: 'wrong-receiver', tag: dTag, record: m.id, expected: `delivered in ${where.join(', ') || 'no context'}`, recorded: `delivered in ${to}: ${describe(m, names)}` });
      }
      const sender = sendByTag.get(dTag);
      if (!send && sender && m.fromContext !== null && from !== sender.ctx) {
        wrongJoins.push({ kind: 'wrong-sender', tag: dTag, record: m.id, expected: `sent by ${sender.ctx}`, recorded: `sent by ${from}: ${describe(m, names)}` });
      }
      const r = got[0];
      if (r?.via === 'port') {
        claim(m.toPort, r.port, `record ${m.id} delivered ${dTag} on it`);
        claim(m.fromPort, partner.get(r.port!), `record ${m.id} delivered ${dTag} from it`);
      }
      if (r) portClaims(m, r.carry, dTag);
    }
    if (send) {
      if (send.via === 'port') {
        claim(m.fromPort, send.port, `record ${m.id} sent ${send.tag} on it`);
        claim(m.toPort, partner.get(send.port!), `record ${m.id} sent ${send.tag} to it`);
      }
      portClaims(m, send.carry, send.tag);
      if (m.outcome.status === 'delivered' && !dTag && inSight(send.to ?? '')) {
        otherWrong.push({ kind: 'wrong-outcome', tag: send.tag, record: m.id, expected: 'its delivery with the sample', recorded: describe(m, names) });
      }
    }
  }
  function portClaims(m: MessageRecord, carry: string[], tag: string) {
    const ids = m.transfer.filter((t) => t.kind === 'MessagePort').map((t) => t.id);
    ids.forEach((id, i) => claim(id, carry[i], `record ${m.id} carried it in ${tag}`));
  }

  // Every delivery a window logged is in the trace, in that window.
  for (const r of recvs) {
    if (!inSight(r.ctx)) continue;
    const found = (recordsOfTag.get(r.tag!) ?? []).some(({ m, side }) => side === 'delivery' && nameOf(m.toContext) === r.ctx);
    if (!found) {
      const seen = (recordsOfTag.get(r.tag!) ?? []).map(({ m }) => describe(m, names));
      missing.push({ kind: 'missing-delivery', tag: r.tag!, expected: `${r.tag} delivered in ${r.ctx} (via ${r.via}${r.port ? ` on ${r.port}` : ''})`, recorded: seen.length ? seen.join(' | ') : 'no record' });
    }
  }

  // Port identity and holders.
  const labelOf = new Map<number, string>();
  for (const [port, cs] of claims) {
    const labels = [...new Set(cs.map((c) => c.label))];
    if (labels.length > 1) {
      wrongHolders.push({ kind: 'conflated-port', port, expected: `one port per record; these are ${labels.join(', ')}`, recorded: cs.map((c) => `${c.label}: ${c.why}`).join('; ') });
    } else labelOf.set(port, labels[0]);
  }
  const portById = new Map(snap.ports.map((p) => [p.id, p]));
  for (const [id, label] of labelOf) {
    const p = portById.get(id);
    if (!p) continue;
    const truth = trueHolders(logs, label);
    checkHolders(p, label, truth);
    if (p.entangledWith !== null && labelOf.has(p.entangledWith) && labelOf.get(p.entangledWith) !== partner.get(label)) {
      wrongHolders.push({ kind: 'wrong-partner', port: id, expected: `${label} entangled with ${partner.get(label)}`, recorded: `entangled with port ${p.entangledWith} (${labelOf.get(p.entangledWith)})` });
    }
    if (p.createdIn !== null && truth.length && nameOf(p.createdIn) !== truth[0].ctx) {
      wrongHolders.push({ kind: 'wrong-creator', port: id, expected: `${label} created in ${truth[0].ctx}`, recorded: `created in ${nameOf(p.createdIn)}` });
    }
  }
  function checkHolders(p: PortRecord, label: string, truth: { ctx: string; carrier: string | null }[]) {
    let k = 0;
    for (const h of p.holders) {
      const ctx = nameOf(h.contextId);
      const carrier = h.messageId === null ? null : tagOfRecord(h.messageId);
      // The recorded stays must be true ones, in order (some may be unseen); a stay that names
      // the message that brought the port must name the true carrier of a stay there.
      const fits = (t: { ctx: string; carrier: string | null }) => t.ctx === ctx && (h.messageId === null || carrier === undefined || t.carrier === carrier);
      while (k < truth.length && !fits(truth[k])) k++;
      const ok = k < truth.length;
      if (!ok) {
        wrongHolders.push({
          kind: 'wrong-holder',
          port: p.id,
          tag: carrier ?? undefined,
          expected: `${label} held by ${truth.map((t) => `${t.ctx}${t.carrier ? ` (by ${t.carrier})` : ''}`).join(' → ')}`,
          recorded: `holders ${p.holders.map((x) => `${nameOf(x.contextId)}${x.messageId !== null ? ` (by record ${x.messageId}: ${tagOfRecord(x.messageId) ?? '?'})` : ''}`).join(' → ')}`,
        });
        return;
      }
      k++;
    }
  }
  function tagOfRecord(id: number): string | null | undefined {
    const m = snap.messages.find((x) => x.id === id);
    if (!m) return undefined;
    return tagOfSample(m.sample) ?? sendOf(m)?.tag ?? null;
  }

  // Unknowns: a message is fully known when one record holds its send and its delivery (as far
  // as the recorder can see them) and names every port involved.
  const unknownWhy: Record<string, number> = {};
  let unknown = 0;
  for (const s of sends) {
    if (s.error) continue;
    const rs = recordsOfTag.get(s.tag) ?? [];
    const visible = recvs.filter((r) => r.tag === s.tag && inSight(r.ctx));
    // Window sends are not recorded (a window message is known from its delivery), nor is
    // anything a worker does.
    const sendInSight = inSight(s.ctx) && s.via !== 'window';
    const why: string[] = [];
    if (!sendInSight && !visible.length) why.push(s.via === 'window' ? 'window message never delivered' : 'out of sight (in workers)');
    else if (sendInSight && !rs.some((r) => r.side === 'send')) why.push('send not recorded');
    else {
      for (const r of visible) {
        const delivery = rs.find((x) => x.side === 'delivery' && nameOf(x.m.toContext) === r.ctx)?.m;
        if (!delivery) continue; // counted as missing
        if (sendInSight && delivery.sentAt === null) why.push('delivery not joined to its send');
        else if (delivery.fromContext === null) why.push('sender unknown');
      }
    }
    const ms = rs.map((r) => r.m);
    if (s.via === 'port' && ms.length && ms.some((m) => m.fromPort === null || m.toPort === null)) why.push('port unknown');
    if (s.carry.length && ms.length && ms.some((m) => m.transfer.filter((t) => t.kind === 'MessagePort').some((t) => t.id === null))) why.push('carried port unknown');
    if (why.length) {
      unknown++;
      for (const w of new Set(why)) unknownWhy[w] = (unknownWhy[w] ?? 0) + 1;
    }
  }

  return {
    seed,
    messages: sends.filter((s) => !s.error).length,
    deliveries: recvs.length,
    windowDeliveries: recvs.filter((r) => inSight(r.ctx)).length,
    wrongJoins,
    wrongHolders,
    missing,
    otherWrong,
    unknown,
    unknownWhy,
    harness,
  };
}

function describe(m: MessageRecord, names: Map<number, string>): string {
  const n = (id: number | null) => (id === null ? '?' : names.get(id) ?? `#${id}`);
  return `record ${m.id} ${m.via} ${n(m.fromContext)}→${n(m.toContext)} ports ${m.fromPort ?? '?'}→${m.toPort ?? '?'} sentAt ${m.sentAt ?? '-'} deliveredAt ${m.deliveredAt ?? '-'} ${m.outcome.status}${m.outcome.reason ? `(${m.outcome.reason})` : ''} sample ${m.sample ?? '-'}`;
}

/** A readable account of one program's problems. */
export function formatProblems(r: CheckResult): string {
  const lines: string[] = [];
  for (const p of [...r.wrongJoins, ...r.wrongHolders, ...r.missing, ...r.otherWrong]) {
    lines.push(`  ${p.kind}${p.tag ? ` ${p.tag}` : ''}${p.record ? ` record ${p.record}` : ''}${p.port ? ` port ${p.port}` : ''}\n    expected: ${p.expected}\n    recorded: ${p.recorded}`);
  }
  for (const h of r.harness) lines.push(`  harness: ${h}`);
  return lines.join('\n');
}
