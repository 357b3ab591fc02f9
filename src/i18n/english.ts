// The English of a FindingText, as the CLI, `audit --json`, traces and the background's notices
// carry it: rendered from the same catalogue the panel uses, so the two cannot drift apart.
import { renderFindingText, type Wording } from './finding-text';
import { makeLookup } from './lookup';
import type { FindingText } from '../protocol/session';

const lookup = makeLookup(null);

/** English with plain digits, as the audit always wrote its sentences. */
export const ENGLISH: Wording = {
  say: (key, ...subs) => lookup(key, ...subs),
  number: (n) => String(n),
  fixed: (n, d) => n.toFixed(d),
};

export function english(t: FindingText): string {
  return renderFindingText(t, ENGLISH) ?? t.key;
}
