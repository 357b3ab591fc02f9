// `audit`: findings grouped by rule, with counts, the send stacks and the spec section, and
// the exit status a CI job needs (1 at or above --fail-on).
import { RULES, notJudgedLine, type AuditFinding, type NotJudged } from '../audit';
import type { Severity } from '../protocol/session';

type Write = (line: string) => void;

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function atOrAbove(f: AuditFinding, min: Severity): boolean {
  return RANK[f.severity] >= RANK[min];
}

/** Stacks shown per finding, and lines shown per stack. */
const MAX_STACKS = 3;
const MAX_STACK_LINES = 4;

/**
 * `notJudged`: the rules this trace cannot exercise (src/audit/evidence.ts), said on the last line
 * so that "No findings." is never read as "every rule checked".
 */
export function printFindings(findings: readonly AuditFinding[], failOn: Severity, write: Write, notJudged: readonly NotJudged[] = []): void {
  const note = notJudgedLine(notJudged);
  if (!findings.length) {
    write('No findings.');
    if (note) write(note);
    return;
  }
  const byRule = new Map<string, AuditFinding[]>();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  for (const [rule, list] of byRule) {
    const info = RULES.find((r) => r.id === rule);
    const items = list.reduce((n, f) => n + f.count, 0);
    const unit = rule === 'port-leak' ? 'port' : 'message';
    write(`${rule} — ${info?.title ?? rule}: ${plural(list.length, 'finding')}, ${plural(items, unit)}`);
    for (const f of list) {
      write(`  ${f.severity.toUpperCase().padEnd(7)} ${f.message}`);
      const refs = [f.messageIds.length ? `messages ${ids(f.messageIds)}` : '', f.portIds.length ? `ports ${ids(f.portIds)}` : ''].filter(Boolean).join(' · ');
      if (refs) write(`          ${refs}`);
      for (const stack of f.stacks.slice(0, MAX_STACKS)) {
        // V8's "Error" header line is not a frame.
        const lines = stack.split('\n').map((l) => l.trim()).filter((l, i) => l && !(i === 0 && /^Error\b/.test(l)));
        write(`          sent from: ${lines[0] ?? ''}`);
        for (const l of lines.slice(1, MAX_STACK_LINES)) write(`                     ${l}`);
      }
      if (f.stacks.length > MAX_STACKS) write(`          … ${f.stacks.length - MAX_STACKS} more call sites`);
    }
    if (info) write(`  why: ${info.explanation}`);
    write(`  spec: ${list[0].spec}`);
    write('');
  }
  const failing = findings.filter((f) => atOrAbove(f, failOn)).length;
  const bySeverity = SEVERITIES.slice()
    .reverse()
    .map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`)
    .join(', ');
  write(`${plural(findings.length, 'finding')} (${bySeverity}); ${failing} at or above --fail-on ${failOn}.`);
  if (note) write(note);
}

/** What `audit --json` prints: the findings plus the verdict and the rules not judged, stable for scripts. */
export function findingsJson(findings: readonly AuditFinding[], failOn: Severity, file: string, notJudged: readonly NotJudged[] = []): string {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length]));
  const failed = findings.some((f) => atOrAbove(f, failOn));
  // The sentence's catalogue key and parameters are for the panel; scripts keep today's fields.
  const plain = findings.map(({ text: _text, ...f }) => f);
  return JSON.stringify({ file, failOn, failed, counts, findings: plain, notJudged }, null, 2);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "#1, #2, #3 … (+7)": long id lists stay on one line. */
function ids(list: readonly number[], max = 10): string {
  const shown = list.slice(0, max).map((i) => `#${i}`).join(', ');
  return list.length > max ? `${shown} … (+${list.length - max})` : shown;
}
