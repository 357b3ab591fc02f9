// How rules write their sentences: a catalogue key and structured parameters (FindingText),
// rendered here in English for `message`, which the CLI, `audit --json` and traces keep as it
// always was. The panel renders the same FindingText in the user's language.
import { type MessageKey } from '../i18n/lookup';
import type { ContextRecord, FindingArg, FindingText, MessageRecord } from '../protocol/session';
import { shortUrl } from './describe';

export { ENGLISH, english } from '../i18n/english';

export function sentence(key: MessageKey, ...args: FindingArg[]): FindingText {
  return { key, args };
}

/** The key for one thing or for several: English agrees verb and noun with the count. */
export function byCount(n: number, one: MessageKey, other: MessageKey): MessageKey {
  return n === 1 ? one : other;
}

/** The catalogue key of a rule's title: ruleTitle_port_never_started. */
export function titleKey(ruleId: string): string {
  return `ruleTitle_${ruleId.replace(/-/g, '_')}`;
}

/** The catalogue key of a rule's explanation: ruleWhy_port_never_started. */
export function explanationKey(ruleId: string): string {
  return `ruleWhy_${ruleId.replace(/-/g, '_')}`;
}

export const n = (value: number): FindingArg => ({ n: value });
export const s = (value: string): FindingArg => ({ s: value });
export const portArg = (id: number | null): FindingArg => ({ port: id });
export const bytes = (value: number): FindingArg => ({ bytes: value });
export const sub = (t: FindingText): FindingArg => ({ text: t });

/** A context as its kind and short URL (what `where` in describe.ts says in English). */
export function ctx(c: ContextRecord | undefined): FindingArg {
  if (!c) return { ctx: null };
  const kind = c.kind === 'window' ? (c.top ? 'page' : 'frame') : c.kind === 'sharedworker' ? 'sharedworker' : c.kind === 'serviceworker' ? 'serviceworker' : 'worker';
  return { ctx: { kind, at: shortUrl(c.url) || c.origin || '' } };
}

/** Where a message was received: its port in the receiving context (fxPortIn), or the context. */
export function receiverArg(m: MessageRecord, receiver: ContextRecord | undefined): FindingArg {
  const where = ctx(receiver);
  return m.via === 'port' ? sub(sentence('fxPortIn', portArg(m.toPort), where)) : where;
}
