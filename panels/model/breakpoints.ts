// Message breakpoints in the panel: made from the filter bar or from a message, described in
// words, and checked for places where they cannot pause. The page does the matching
// (src/instrument/breakpoints.ts); this only builds and explains the specs.
import type { BreakpointSpec, SendOutcome, Via } from '../../src/protocol/messages';
import type { MessageRecord } from '../../src/protocol/session';
import type { Dataset } from './dataset';
import { channelOf, type MessageFilter } from './filter';
import { T } from '../debug-strings';
import { msg } from '../i18n';

export type NewBreakpoint = Omit<BreakpointSpec, 'id' | 'enabled'>;

export function withId(list: readonly BreakpointSpec[], b: NewBreakpoint): BreakpointSpec {
  const id = list.reduce((m, x) => Math.max(m, x.id), 0) + 1;
  return { ...clean(b), id, enabled: true };
}

/** Leaves out the criteria not given (empty texts, undefined ids). */
function clean(b: NewBreakpoint): NewBreakpoint {
  const out: NewBreakpoint = { on: b.on };
  if (b.via) out.via = b.via;
  for (const k of ['port', 'channel', 'context'] as const) if (b[k] !== undefined && b[k] !== null) out[k] = b[k];
  for (const k of ['origin', 'protocol', 'call', 'text'] as const) if (b[k]?.trim()) out[k] = b[k]!.trim();
  if (b.outcome) out.outcome = b.outcome;
  return out;
}

/** The filter bar's terms as a breakpoint: an outcome known at send time makes it a send breakpoint. */
export function fromFilter(f: MessageFilter): NewBreakpoint {
  const atSend = f.outcome === 'dropped' || f.outcome === 'error' || f.outcome === 'queued';
  return clean({
    on: atSend ? 'send' : 'deliver',
    text: atSend ? undefined : f.text,
    origin: f.origin,
    context: f.context ?? undefined,
    channel: f.channel ?? undefined,
    protocol: atSend ? undefined : f.protocol,
    outcome: atSend ? (f.outcome as SendOutcome) : undefined,
  });
}

/** "Break on messages like this": the same call of the same protocol, else the same channel and via. */
export function likeMessage(d: Dataset, m: MessageRecord): NewBreakpoint {
  if (m.call) {
    const paren = m.call.label.indexOf('(');
    return clean({ on: 'deliver', protocol: m.call.protocol, call: (paren > 0 ? m.call.label.slice(0, paren) : m.call.label).trim() });
  }
  const channel = channelOf(d, m);
  if (channel !== null) return clean({ on: 'deliver', via: m.via, channel });
  return clean({ on: 'deliver', via: m.via, context: m.toContext ?? undefined });
}

export function describeBreakpoint(b: NewBreakpoint): string {
  const parts: string[] = [];
  if (b.via) parts.push(msg('bpDescVia', b.via));
  if (b.protocol) parts.push(b.call ? `${b.protocol} ${b.call}` : b.protocol);
  if (b.port !== undefined) parts.push(msg('bpDescPort', b.port));
  if (b.channel !== undefined) parts.push(msg('bpDescChannel', b.channel));
  if (b.context !== undefined) parts.push(msg('bpDescContext', b.context));
  if (b.origin) parts.push(msg('bpDescOrigin', b.origin));
  if (b.text) parts.push(msg('bpDescText', b.text));
  if (b.outcome) parts.push(msg('bpDescPredicted', b.outcome));
  const what = parts.length ? parts.join(msg('listSeparator')) : T.everyMessage;
  return b.on === 'send' ? msg('bpDescSend', what) : msg('bpDescDeliver', what);
}

/** Why a breakpoint cannot pause where one expects, or null. */
export function cannotPause(b: BreakpointSpec, d: Dataset): string | null {
  if (b.context !== undefined) {
    const c = d.contexts.get(b.context);
    if (c && c.kind !== 'window') return T.inWorker;
    if (!c || c.endedAt !== null) return T.goneTarget;
  }
  if (b.port !== undefined && !d.ports.has(b.port)) return T.goneTarget;
  if (b.on === 'send') {
    if (b.via === 'window') return T.windowSend;
    if (b.via && b.via !== 'port') return T.otherSend;
    if (b.text || b.protocol || b.call) return T.payloadOnSend;
  }
  return null;
}

export const VIA_CHOICES: readonly Via[] = ['port', 'window', 'worker', 'broadcast'];
