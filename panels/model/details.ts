// The Details view's model: a message's delay broken down, its transfer list with what
// each transfer left behind, and its stack parsed into frames that can open in Sources.
import type { FindingRecord, MessageRecord, PortIdentity, TransferRecord, WorkerInside } from '../../src/protocol/session';
import { notJudgedGroups, RULES, type Evidence, type NotJudged } from '../../src/audit/index';
import { explanationKey, titleKey } from '../../src/audit/text';
import { isMessageKey } from '../../src/i18n/finding-text';
import { fmt, inUiLanguage, msg } from '../i18n';

const RULE_INFO = new Map(RULES.map((r) => [r.id, r]));

/** The rule's title in the UI language, or its id for rules this build does not know. */
export function ruleTitle(rule: string): string {
  const key = titleKey(rule);
  if (RULE_INFO.has(rule) && isMessageKey(key)) return msg(key);
  return rule;
}

/** The rule's explanation in the UI language; null for rules this build does not know. */
function ruleExplanation(rule: string): string | null {
  const key = explanationKey(rule);
  return RULE_INFO.has(rule) && isMessageKey(key) ? msg(key) : null;
}

/** Why a rule could not be judged, per missing evidence (src/audit/evidence.ts words it in English). */
const MISSING: Record<Evidence, () => string> = { 'window-sends': () => msg('fdMissing_window_sends') };

/** The line under the findings naming the rules this recording could not judge, in the UI language; null when none. */
export function notJudgedText(list: readonly NotJudged[]): string | null {
  if (!list.length) return null;
  const join = msg('fdNotJudgedJoin');
  const parts = notJudgedGroups(list).map((g) => msg('fdNotJudgedPart', g.rules.join(msg('listSeparator')), g.missing.map((e) => MISSING[e]()).join(join)));
  return msg('fdNotJudged', parts.join(join));
}

/** Why a port's identity is not known, in the UI language; its English `why` from an older producer or a trace file. */
export function identityWhy(id: PortIdentity): string {
  return inUiLanguage(id.text, id.why);
}

/** Why a worker is seen from outside only, in the UI language; its English `note` from an older producer or a trace file. */
export function insideNote(i: Extract<WorkerInside, { recorded: false }>): string {
  return inUiLanguage(i.text, i.note);
}

/** A finding's sentence in the UI language; its English `message` when it has no known key (an older producer). */
export function findingSentence(f: FindingRecord): string {
  return inUiLanguage(f.text, f.message);
}

export interface StackFrame {
  fn: string;
  url: string | null;
  /** 1-based, as printed in stacks. */
  line: number | null;
  column: number | null;
  /** The line as recorded. */
  text: string;
}

// V8: "at fn (url:1:2)", "at url:1:2", "at async fn (url:1:2)"; SpiderMonkey: "fn@url:1:2".
const V8 = /^\s*at\s+(?:(.*?)\s+\()?(.+?):(\d+):(\d+)\)?\s*$/;
const SM = /^\s*(.*?)@(.+?):(\d+):(\d+)\s*$/;

export function parseStack(stack: string | null): StackFrame[] {
  if (!stack) return [];
  return stack
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((text) => {
      const m = V8.exec(text) ?? SM.exec(text);
      if (!m) return { fn: text.trim(), url: null, line: null, column: null, text };
      return { fn: m[1] || msg('dtAnonymous'), url: m[2], line: Number(m[3]), column: Number(m[4]), text };
    });
}

/** Only URLs the Sources panel can show: the page's scripts, not the extension's or eval code. */
export function canOpen(f: StackFrame): boolean {
  return f.url !== null && /^(https?|file):\/\//.test(f.url);
}

export interface DelayPart {
  label: string;
  ms: number;
}

/**
 * How long the message took: waitMs (sent → dispatch: in flight plus queued on an
 * unstarted port) and handlerMs (in the page's listeners). Parts with no data are left out.
 */
export function delayParts(m: MessageRecord): { parts: DelayPart[]; total: number | null } {
  const parts: DelayPart[] = [];
  const wait = m.waitMs ?? (m.sentAt !== null && m.deliveredAt !== null ? m.deliveredAt - m.sentAt : null);
  if (wait !== null) parts.push({ label: m.outcome.status === 'queued' ? msg('dtDelayQueued') : msg('dtDelayWaiting'), ms: Math.max(0, wait) });
  if (m.handlerMs !== null) parts.push({ label: msg('dtDelayHandlers'), ms: Math.max(0, m.handlerMs) });
  return { parts, total: parts.length ? parts.reduce((a, p) => a + p.ms, 0) : null };
}

/** What transferring each object did to the sender's copy. */
export function neuteredText(t: TransferRecord): string {
  switch (t.kind) {
    case 'MessagePort':
      return msg('dtNeuterPort');
    case 'ArrayBuffer':
      return t.bytes !== null ? msg('dtNeuterBufferBytes', fmt.number(t.bytes)) : msg('dtNeuterBuffer');
    case 'ReadableStream':
    case 'WritableStream':
    case 'TransformStream':
      return msg('dtNeuterStream');
    default:
      return msg('dtNeuterOther');
  }
}

/**
 * A finding as the audit (src/audit AuditFinding) writes it: a FindingRecord that may carry an
 * explanation, the standard's section and the stacks of the code involved. A plain record
 * (from a trace) gets the rule's explanation and section from src/audit's RULES.
 */
export interface FindingView {
  rule: string;
  severity: FindingRecord['severity'];
  message: string;
  messageIds: number[];
  portIds: number[];
  title: string;
  explanation: string | null;
  spec: string | null;
  stacks: string[];
  contextIds: number[];
}

export function findingView(f: FindingRecord): FindingView {
  const x = f as FindingRecord & { explanation?: unknown; spec?: unknown; stacks?: unknown; contextIds?: unknown };
  const info = RULE_INFO.get(f.rule);
  return {
    title: ruleTitle(f.rule),
    rule: f.rule,
    severity: f.severity,
    message: findingSentence(f),
    messageIds: f.messageIds,
    portIds: f.portIds,
    // The audit writes its rule's explanation: said in the UI language. Another text (a trace
    // from another version) is shown as it came.
    explanation: typeof x.explanation === 'string' && x.explanation !== info?.explanation ? x.explanation : (ruleExplanation(f.rule) ?? info?.explanation ?? null),
    spec: typeof x.spec === 'string' ? x.spec : (info?.spec ?? null),
    stacks: Array.isArray(x.stacks) ? x.stacks.filter((s): s is string => typeof s === 'string') : [],
    contextIds: Array.isArray(x.contextIds) ? x.contextIds.filter((n): n is number => Number.isSafeInteger(n)) : [],
  };
}

export interface FindingGroup {
  rule: string;
  severity: FindingRecord['severity'];
  /** Indices into the findings list. */
  items: number[];
  messageCount: number;
  portCount: number;
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** Findings grouped by rule, worst severity first, then by count. */
export function groupFindings(findings: FindingRecord[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup & { msgs: Set<number>; ports: Set<number> }>();
  findings.forEach((f, i) => {
    let g = groups.get(f.rule);
    if (!g) groups.set(f.rule, (g = { rule: f.rule, severity: f.severity, items: [], messageCount: 0, portCount: 0, msgs: new Set(), ports: new Set() }));
    g.items.push(i);
    if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[g.severity]) g.severity = f.severity;
    for (const id of f.messageIds) g.msgs.add(id);
    for (const id of f.portIds) g.ports.add(id);
  });
  return [...groups.values()]
    .map(({ msgs, ports, ...g }) => ({ ...g, messageCount: msgs.size, portCount: ports.size }))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.items.length - a.items.length || a.rule.localeCompare(b.rule));
}
