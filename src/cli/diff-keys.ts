// Keys that name the same thing in two recordings of one flow: routes by contexts' origins
// and URL paths and by port roles, calls by protocol and method, findings by rule and the
// contexts involved, payloads by shape. No id and no time goes into a key: both differ
// from run to run.
import type { AuditFinding } from '../audit';
import type { AggregateSnapshot, CallRecord, ContextRecord, MessageRecord, PortRecord } from '../protocol/session';
import { parseSample, type Sample } from '../protocol/sample';

export interface KeyOptions {
  /** Leave the port number out of origins: servers started on a free port differ per run. */
  ignorePorts: boolean;
}

/** Lookups over one snapshot that every key needs. */
export class Keys {
  private readonly contexts: Map<number, ContextRecord>;
  private readonly ports: Map<number, PortRecord>;

  constructor(
    readonly snapshot: AggregateSnapshot,
    private readonly o: KeyOptions,
  ) {
    this.contexts = new Map(snapshot.contexts.map((c) => [c.id, c]));
    this.ports = new Map(snapshot.ports.map((p) => [p.id, p]));
  }

  /** "http://127.0.0.1:8080/demo/index.html", "worker http://…/w.js"; "?" when not known. */
  context(id: number | null): string {
    const c = id === null ? undefined : this.contexts.get(id);
    if (!c) return '?';
    const where = this.place(c.url, c.origin);
    return c.kind === 'window' ? where : `${c.kind} ${where}`;
  }

  private place(url: string, origin: string): string {
    try {
      const u = new URL(url);
      if (u.protocol === 'http:' || u.protocol === 'https:') return `${u.protocol}//${this.o.ignorePorts ? u.hostname : u.host}${u.pathname}`;
      return u.protocol === 'file:' ? `file://${u.pathname}` : `${u.protocol}${u.pathname}`;
    } catch {
      return url || origin || '?';
    }
  }

  /** "port1 of a channel made in <context>": which end of which kind of channel, not which id. */
  portRole(id: number | null): string {
    const p = id === null ? undefined : this.ports.get(id);
    if (!p) return 'port ?';
    const end = p.entangledWith === null ? 'port ?' : p.id < p.entangledWith ? 'port1' : 'port2';
    return `${end} of a channel made in ${this.context(p.createdIn)}`;
  }

  /** Sender → receiver, by via; port messages also name the sending end. */
  route(m: MessageRecord): string {
    const base = `${m.via} ${this.context(m.fromContext)} → ${this.context(m.toContext ?? this.portHolder(m.toPort))}`;
    return m.via === 'port' ? `${base} (${this.portRole(m.fromPort)})` : base;
  }

  /**
   * Where a port message that was never delivered waits: the last holder of its port (the
   * receiving context is only reported on delivery). Null when the port is not known.
   */
  private portHolder(id: number | null): number | null {
    const p = id === null ? undefined : this.ports.get(id);
    const last = p?.holders[p.holders.length - 1];
    // A shipped port whose arrival was never identified: its last known holder is not where it is.
    if (!p || !last || (p.shipped && last.messageId === null)) return null;
    return last.contextId;
  }

  /** The rule and the contexts a finding involves (its message text carries ids and counts). */
  finding(f: AuditFinding): string {
    const where = [...new Set(f.contextIds.map((id) => this.context(id)))].sort();
    return `${f.rule} in ${where.join(', ') || '?'}`;
  }
}

/** "jsonrpc call add", "comlink reply ok": the method without its arguments; null for no call. */
export function callKey(c: CallRecord | null | undefined): string | null {
  if (!c) return null;
  if (c.role === 'response') return `${c.protocol} reply${/\berror\b/.test(c.label) ? ' error' : ''}`;
  const label = c.label.replace(/\s*\(\+\d+ packed\)$/, '');
  const paren = label.indexOf('(');
  return `${c.protocol} ${(paren > 0 ? label.slice(0, paren) : label).trim()}`;
}

/**
 * Outcome of a message that did not arrive: "dropped (port-shipped)", "queued, never
 * delivered", "error (…)", or "sent, delivery not seen" (the sender's side cannot know that
 * the receiving port was never started; at the end of a settled recording it did not arrive).
 */
export function lossKey(m: MessageRecord): string | null {
  const { status, reason } = m.outcome;
  if (status === 'sent' && m.deliveredAt === null) return 'sent, delivery not seen';
  if (status === 'dropped') return `dropped (${reason ?? 'unknown'})`;
  if (status === 'queued') return 'queued, never delivered';
  if (status === 'error') return `error (${(reason ?? 'unknown').split(':')[0]})`;
  return null;
}

const SHAPE_DEPTH = 4;

/** The payload's shape: keys and value types, no values ("{n: number, type: string}"); null when not sampled. */
export function payloadShape(m: MessageRecord): string | null {
  const s = parseSample(m.sample ?? null);
  return s === undefined ? null : shape(s, 0);
}

function shape(s: Sample, depth: number): string {
  if (s === null) return 'null';
  if (typeof s !== 'object') return typeof s;
  if (depth >= SHAPE_DEPTH && (s.$ === 'object' || s.$ === 'array' || s.$ === 'map' || s.$ === 'set')) return s.$;
  switch (s.$) {
    case 'str':
      return 'string';
    case 'number':
      return 'number';
    case 'object':
      return `{${s.entries
        .map(([k, v]) => `${k}: ${shape(v, depth + 1)}`)
        .sort()
        .join(', ')}${s.count > s.entries.length ? ', …' : ''}}`;
    case 'array':
      return `[${union(s.items.map((v) => shape(v, depth + 1)))}]`;
    case 'map':
      return `Map<${union(s.entries.map(([k]) => shape(k, depth + 1)))}, ${union(s.entries.map(([, v]) => shape(v, depth + 1)))}>`;
    case 'set':
      return `Set<${union(s.items.map((v) => shape(v, depth + 1)))}>`;
    case 'bytes':
    case 'blob':
    case 'other':
      return s.kind;
    case 'error':
      return s.name;
    case 'port':
      return 'MessagePort';
    case 'cut':
      return s.kind;
    default:
      return s.$;
  }
}

/** Element types in order of name, each once: the length of an array is not its shape. */
function union(types: string[]): string {
  return [...new Set(types)].sort().join(' | ');
}
