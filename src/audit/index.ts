// The audit: pure rules over an AggregateSnapshot that turn silently lost messages, neutered
// transfers and risky window messaging into findings. A new rule is one file in rules/ and
// one line in ALL below. Every rule makes a constant number of linear passes.
import type { AggregateSnapshot } from '../protocol/session';
import { buildIndex } from './index-build';
import { cloneError } from './rules/clone-error';
import { largeCopy } from './rules/large-copy';
import { messageerror } from './rules/messageerror';
import { noListener } from './rules/no-listener';
import { originNotChecked } from './rules/origin-not-checked';
import { portLeak } from './rules/port-leak';
import { portNeverStarted } from './rules/port-never-started';
import { postOnClosedPort } from './rules/post-on-closed-port';
import { postOnShippedPort } from './rules/post-on-shipped-port';
import { targetOriginMismatch } from './rules/target-origin-mismatch';
import { transferNotInMessage } from './rules/transfer-not-in-message';
import { useAfterTransfer } from './rules/use-after-transfer';
import { wildcardTargetOrigin } from './rules/wildcard-target-origin';
import type { MessageKey } from '../i18n/lookup';
import type { AuditFinding, AuditOptions, Rule, RuleInfo } from './types';

export type { AuditFinding, AuditOptions, Evidence, RuleInfo } from './types';
export { explanationKey, titleKey } from './text';
export { evidenceOf, notJudged, notJudgedGroups, notJudgedLine, type NotJudged } from './evidence';

/** In the order findings are listed. */
const ALL: readonly Rule[] = [
  portNeverStarted,
  postOnShippedPort,
  postOnClosedPort,
  targetOriginMismatch,
  noListener,
  transferNotInMessage,
  useAfterTransfer,
  cloneError,
  messageerror,
  largeCopy,
  portLeak,
  wildcardTargetOrigin,
  originNotChecked,
];

/** Every rule's id, default severity, title, spec section and explanation. */
export const RULES: readonly RuleInfo[] = Object.freeze(
  ALL.map(({ id, severity, title, spec, explanation, needs }) => Object.freeze({ id, severity, title, spec, explanation, ...(needs ? { needs } : {}) })),
);

/** Every rule's catalogue keys for its findings' sentences (the catalogue check reads them). */
export const RULE_TEXTS: ReadonlyMap<string, readonly MessageKey[]> = new Map(ALL.map((r) => [r.id, r.texts]));

export const DEFAULT_OPTIONS: Required<AuditOptions> = Object.freeze({ largeCopyBytes: 1024 * 1024, openChannels: 100 });

/** All findings for a snapshot: by rule (RULES order), then by first message / port id. */
export function runAudit(snapshot: AggregateSnapshot, options: AuditOptions = {}): AuditFinding[] {
  const input = { snapshot, options: { ...DEFAULT_OPTIONS, ...definedOnly(options) }, index: buildIndex(snapshot) };
  const out: AuditFinding[] = [];
  for (const rule of ALL) {
    const found = rule.run(input);
    found.sort(byFirstId);
    for (const f of found) out.push(f);
  }
  return out;
}

function byFirstId(a: AuditFinding, b: AuditFinding): number {
  return (a.messageIds[0] ?? Infinity) - (b.messageIds[0] ?? Infinity) || (a.portIds[0] ?? Infinity) - (b.portIds[0] ?? Infinity) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

function definedOnly(o: AuditOptions): AuditOptions {
  const r: AuditOptions = {};
  if (typeof o.largeCopyBytes === 'number' && o.largeCopyBytes >= 0) r.largeCopyBytes = o.largeCopyBytes;
  if (typeof o.openChannels === 'number' && o.openChannels >= 1) r.openChannels = o.openChannels;
  return r;
}
