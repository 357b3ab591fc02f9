// `audit --format junit|github`: the findings where CI users look. JUnit: one test case per
// rule, failed when the rule has findings at or above --fail-on. GitHub: one workflow
// command (::error / ::warning / ::notice) per finding, shown as an annotation on the run.
import { RULES, notJudgedLine, type AuditFinding, type NotJudged } from '../audit';
import type { Severity } from '../protocol/session';
import { atOrAbove } from './audit';

export const FORMATS = ['text', 'json', 'junit', 'github'] as const;
export type Format = (typeof FORMATS)[number];

/** The first frame of a send stack, without V8's "Error" header: "sendTicks (http://…/app.js:10:5)". */
export function firstFrame(stack: string | undefined): string | null {
  if (!stack) return null;
  const line = stack
    .split('\n')
    .map((l) => l.trim())
    .find((l, i) => l && !(i === 0 && /^Error\b/.test(l)));
  return line ? line.replace(/^at /, '') : null;
}

/** `notJudged`: rules this trace cannot exercise; their cases are <skipped> with the reason. */
export function junit(findings: readonly AuditFinding[], failOn: Severity, file: string, notJudged: readonly NotJudged[] = []): string {
  const skipped = new Map(notJudged.map((n) => [n.rule, n]));
  const cases = RULES.map((rule) => {
    const all = findings.filter((f) => f.rule === rule.id);
    const failing = all.filter((f) => atOrAbove(f, failOn));
    const name = `${rule.id}: ${rule.title}`;
    const lines = (list: readonly AuditFinding[]) => list.map((f) => describe(f)).join('\n\n');
    let body = '';
    if (failing.length) {
      const summary = `${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${failOn}: ${failing[0].message}`;
      body += `\n      <failure message="${attr(summary)}" type="${failing[0].severity}">${text(`${lines(failing)}\n\nspec: ${rule.spec}`)}</failure>`;
    }
    const skip = skipped.get(rule.id);
    if (skip && !all.length) body += `\n      <skipped message="${attr(`not judged on this recording: ${skip.why}`)}"/>`;
    const below = all.filter((f) => !atOrAbove(f, failOn));
    if (below.length) body += `\n      <system-out>${text(`Below --fail-on ${failOn}:\n${lines(below)}`)}</system-out>`;
    return `    <testcase classname="channel-inspector.audit" name="${attr(name)}" file="${attr(file)}">${body}${body ? '\n    ' : ''}</testcase>`;
  });
  const failures = RULES.filter((r) => findings.some((f) => f.rule === r.id && atOrAbove(f, failOn))).length;
  const skips = RULES.filter((r) => skipped.has(r.id) && !findings.some((f) => f.rule === r.id)).length;
  const head = `tests="${RULES.length}" failures="${failures}" errors="0" skipped="${skips}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="channel-inspector audit" ${head}>`,
    `  <testsuite name="${attr(file)}" ${head}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}

function describe(f: AuditFinding): string {
  const at = firstFrame(f.stacks[0]);
  return `${f.severity.toUpperCase()} ${f.message}${at ? `\n  sent from: ${at}` : ''}${f.stacks.length > 1 ? ` (+${f.stacks.length - 1} more call sites)` : ''}`;
}

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * One workflow command per finding. No file= property: the send stack names a page URL, and
 * which file of the repository served it is not known here; the location goes in the text.
 */
export function github(findings: readonly AuditFinding[], file: string, notJudged: readonly NotJudged[] = []): string[] {
  const lines = findings.map((f) => {
    const at = firstFrame(f.stacks[0]);
    const title = `channel-inspector ${f.rule} (${file})`;
    const msg = `${f.message}${at ? `\nsent from: ${at}` : ''}\nspec: ${f.spec}`;
    return `::${LEVEL[f.severity]} title=${property(title)}::${data(msg)}`;
  });
  // Rules that could not run are said too: a clean run must not look like a full check.
  const note = notJudgedLine(notJudged);
  if (note) lines.push(`::notice title=${property(`channel-inspector (${file})`)}::${data(note)}`);
  return lines;
}

// Escaping as GitHub's runner reads workflow commands (toolkit's command.ts rules).
function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// XML: attributes and text; characters XML 1.0 cannot hold at all are dropped.
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
