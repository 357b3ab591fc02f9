// The Replay editor's model: whether a message can be posted again (and as it was), the
// text to edit, the targets the topology offers, and the request to send. The component
// (panels/replay.tsx) only renders this; the background and the page do the rest.
import type { ReplayTarget } from '../../src/protocol/messages';
import { parseSample } from '../../src/protocol/sample';
import type { MessageRecord } from '../../src/protocol/session';
import { formatSample, parseLiteral, sampleGaps, type LiteralError } from '../../src/replay/literal';
import type { Dataset } from './dataset';
import { contextName } from './format';
import { msg } from '../i18n';

export interface Replayability {
  /** Replay of any kind: a live port or window message. */
  can: boolean;
  /** Why not, when it cannot. */
  why: string | null;
  /** "Replay" as it was: the whole value was recorded and it transferred nothing. */
  asIs: boolean;
  /** Why "as it was" is not possible (edit it instead). */
  asIsWhy: string | null;
  /** The recorded value as literal text (placeholders where the recording cut it). */
  text: string;
}

export function replayability(m: MessageRecord, live: boolean): Replayability {
  const sample = parseSample(m.sample);
  const text = sample !== undefined ? formatSample(sample) : '';
  const no = (why: string): Replayability => ({ can: false, why, asIs: false, asIsWhy: why, text });
  if (!live) return no(msg('dtRpWhyTrace'));
  if (m.via !== 'port' && m.via !== 'window') return no(msg('dtRpWhyVia', m.via));
  if (m.type === 'messageerror') return no(msg('dtRpWhyMessageError'));
  let asIsWhy: string | null = null;
  if (sample === undefined) asIsWhy = msg('dtRpWhyNoValue');
  else {
    const gaps = sampleGaps(sample);
    if (gaps.length) asIsWhy = msg('dtRpWhyPartial', gaps.join('; '));
  }
  if (!asIsWhy && m.transfer.length) asIsWhy = msg('dtRpWhyTransfer');
  return { can: true, why: null, asIs: asIsWhy === null, asIsWhy, text };
}

export interface TargetOption {
  key: string;
  label: string;
  target: ReplayTarget | null;
  /** Window targets take a targetOrigin. */
  window: boolean;
}

/** Where the message can go: first where it went, then every open port and live window in the topology. */
export function replayTargets(d: Dataset, m: MessageRecord): TargetOption[] {
  const out: TargetOption[] = [];
  if (m.via === 'port') out.push({ key: 'original', label: msg('dtRpOriginalPort', m.fromPort ?? '?', contextName(d, m.toContext)), target: null, window: false });
  else out.push({ key: 'original', label: m.fromContext !== null ? msg('dtRpOriginalWindowFrom', contextName(d, m.toContext), contextName(d, m.fromContext)) : msg('dtRpOriginalWindow', contextName(d, m.toContext)), target: null, window: true });
  for (const p of d.ports.values()) {
    const holder = p.holders[p.holders.length - 1];
    const c = holder ? d.contexts.get(holder.contextId) : undefined;
    if (p.closed || !c || c.kind !== 'window' || c.endedAt !== null) continue;
    const to = p.entangledWith !== null ? d.ports.get(p.entangledWith) : undefined;
    const toHolder = to?.holders[to.holders.length - 1];
    const where = toHolder ? ` → ${contextName(d, toHolder.contextId)}` : '';
    out.push({ key: `port:${p.id}`, label: msg('dtRpPort', p.id, contextName(d, c.id)) + where, target: { kind: 'port', port: p.id }, window: false });
  }
  for (const c of d.contexts.values()) {
    if (c.kind !== 'window' || c.ctx !== 0 || c.endedAt !== null) continue;
    const origin = c.origin || '*';
    if (m.fromContext !== null && m.via === 'window') {
      out.push({ key: `window:${c.id}:sender`, label: msg('dtRpWindowBySender', contextName(d, c.id), contextName(d, m.fromContext)), target: { kind: 'window', context: c.id, from: 'sender', targetOrigin: origin }, window: true });
    }
    out.push({ key: `window:${c.id}:self`, label: msg('dtRpWindowBySelf', contextName(d, c.id)), target: { kind: 'window', context: c.id, from: 'self', targetOrigin: origin }, window: true });
  }
  return out;
}

/** The targetOrigin a window target starts with: the original's, else the receiver's origin. */
export function defaultTargetOrigin(d: Dataset, m: MessageRecord, option: TargetOption): string {
  if (option.target?.kind === 'window') return option.target.targetOrigin;
  return m.targetOrigin ?? (m.toContext !== null ? d.contexts.get(m.toContext)?.origin : undefined) ?? '*';
}

export type Prepared = { ok: true; value: unknown; target: ReplayTarget | null } | { ok: false; error: string; at: LiteralError | null };

/** The edited text and chosen target as a request's value and target, or what is wrong with them. */
export function prepareReplay(d: Dataset, m: MessageRecord, text: string, option: TargetOption, targetOrigin: string): Prepared {
  const parsed = parseLiteral(text);
  if (!parsed.ok) return { ok: false, error: msg('dtRpParseError', parsed.error.line, parsed.error.column, parsed.error.message), at: parsed.error };
  if (!option.window) return { ok: true, value: parsed.value, target: option.target };
  const origin = targetOrigin.trim();
  if (origin !== '*' && origin !== '/' && !/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+\/?$/i.test(origin)) {
    return { ok: false, error: msg('dtRpBadOrigin'), at: null };
  }
  const base: ReplayTarget =
    option.target?.kind === 'window'
      ? option.target
      : { kind: 'window', context: m.toContext ?? 0, from: m.fromContext !== null ? 'sender' : 'self', targetOrigin: origin };
  if (base.kind === 'window' && base.context === 0) return { ok: false, error: msg('dtRpUnknownWindow'), at: null };
  return { ok: true, value: parsed.value, target: { ...base, targetOrigin: origin } as ReplayTarget };
}
