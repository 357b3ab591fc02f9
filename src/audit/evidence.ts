// Which rules a recording cannot judge. A rule that needs evidence the recording does not hold
// (RuleInfo.needs) finds nothing there whatever the page did; the panel, the CLI and the docs
// say so instead of letting "no findings" read as "checked and clean". Derived from the data
// alone: when a recording carries the evidence (e.g. once window sends are captured), the
// statement goes away by itself.
import type { MessageRecord } from '../protocol/session';
import type { Evidence, RuleInfo } from './types';

/** Why each kind of evidence can be missing, in a user's words. */
const MISSING: Record<Evidence, string> = {
  'window-sends':
    'this recording has no window.postMessage sends: a page recording sees a window message only where it is delivered, without its targetOrigin',
};

type Seen = Pick<MessageRecord, 'via' | 'sentAt' | 'targetOrigin'>;

/** The evidence present in a recording's messages (one pass, stops once everything is found). */
export function evidenceOf(messages: Iterable<Seen>): Set<Evidence> {
  const found = new Set<Evidence>();
  for (const m of messages) {
    // A window message whose send was recorded at the sender, with its targetOrigin (every
    // window.postMessage has one; a delivery alone does not tell it).
    if (m.via === 'window' && m.sentAt !== null && m.targetOrigin !== null) {
      found.add('window-sends');
      break;
    }
  }
  return found;
}

export interface NotJudged {
  rule: string;
  title: string;
  missing: Evidence[];
  why: string;
}

/** The rules of `rules` that could not run on a recording with `messages`, and why. */
export function notJudged(rules: readonly RuleInfo[], messages: Iterable<Seen>): NotJudged[] {
  const have = evidenceOf(messages);
  const out: NotJudged[] = [];
  for (const r of rules) {
    const missing = (r.needs ?? []).filter((e) => !have.has(e));
    if (missing.length) out.push({ rule: r.id, title: r.title, missing, why: missing.map((e) => MISSING[e]).join('; ') });
  }
  return out;
}

/** The rules not judged grouped by what they miss, in the order first seen: the line's parts. */
export function notJudgedGroups(list: readonly NotJudged[]): { rules: string[]; missing: Evidence[] }[] {
  const byWhy = new Map<string, { rules: string[]; missing: Evidence[] }>();
  for (const n of list) {
    const g = byWhy.get(n.why) ?? { rules: [], missing: n.missing };
    g.rules.push(n.rule);
    byWhy.set(n.why, g);
  }
  return [...byWhy.values()];
}

/**
 * One line for people, in English (the CLI): "Not judged on this recording: a, b (this recording
 * has no ...).". The panel words the same groups from the catalogue (fdNotJudged, fdMissing_*).
 */
export function notJudgedLine(list: readonly NotJudged[]): string | null {
  if (!list.length) return null;
  const parts = notJudgedGroups(list).map((g) => `${g.rules.join(', ')} (${g.missing.map((e) => MISSING[e]).join('; ')})`);
  return `Not judged on this recording: ${parts.join('; ')}.`;
}
