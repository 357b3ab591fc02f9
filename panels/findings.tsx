// The Findings view: the audit's findings grouped by rule with counts; a click selects the
// messages and ports involved (every view highlights them, Details explains the finding).
import { useMemo } from 'preact/hooks';
import { notJudged, RULES } from '../src/audit';
import type { Dataset } from './model/dataset';
import { findingSentence, groupFindings, notJudgedText, ruleTitle } from './model/details';
import { selectFinding } from './model/selection';
import { fmt, msg } from './i18n';
import type { PanelState, Store } from './store';
import type { Severity } from '../src/protocol/enums';

/** A severity's name in the UI language (the icon's accessible name). */
function severityName(s: Severity): string {
  return s === 'error' ? msg('fdSeverity_error') : s === 'warning' ? msg('fdSeverity_warning') : msg('fdSeverity_info');
}

export function FindingsView({ store, state, data }: { store: Store; state: PanelState; data: Dataset }) {
  const groups = useMemo(() => groupFindings(data.findings), [data, data.version, data.findings]);
  const skipped = useMemo(() => notJudgedText(notJudged(RULES, data.messages)), [data, data.parts.messages]);
  const focus = state.selection.focus;
  const order = groups.flatMap((g) => g.items);
  const current = focus?.kind === 'finding' ? order.indexOf(focus.index) : -1;
  if (groups.length === 0) {
    return (
      <div class="empty" data-testid="no-findings">
        <h2>{msg('fdNoneTitle')}</h2>
        <p>{msg('fdNoneText')}</p>
        <NotJudged line={skipped} />
        <Mismatches data={data} />
      </div>
    );
  }
  return (
    <div
      class="findings"
      tabIndex={0}
      role="listbox"
      aria-label={msg('fdAria')}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
        e.preventDefault();
        const next = Math.max(0, Math.min(order.length - 1, current + (e.key === 'ArrowDown' ? 1 : -1)));
        const i = order[next];
        if (i !== undefined) store.select(selectFinding(data.findings[i], i));
      }}
    >
      {groups.map((g) => (
        <section class="finding-group" data-rule-group={g.rule}>
          <h3>
            <span class={`sev sev-${g.severity}`} aria-label={severityName(g.severity)} />
            <span class="rule-title">{ruleTitle(g.rule)}</span>
            <span class="rule">{g.rule}</span>
            <span class="count">{fmt.number(g.items.length)}</span>
            <span class="dim">
              {countMessages(g.messageCount)} · {countPorts(g.portCount)}
            </span>
            <button class="link" onClick={() => (store.setFilter({ rule: g.rule }), store.setView('messages'))}>
              {msg('fdShowMessages')}
            </button>
          </h3>
          {g.items.map((i) => {
            const f = data.findings[i];
            const selected = focus?.kind === 'finding' && focus.index === i;
            return (
              <div class={`finding${selected ? ' selected' : ''}`} role="option" aria-selected={selected} data-rule={f.rule} data-severity={f.severity} onClick={() => store.select(selectFinding(f, i))}>
                <span class={`sev sev-${f.severity}`} />
                <span class="finding-text">{findingSentence(f)}</span>
                <span class="dim">
                  {f.messageIds.length ? msg('fdMsgShort', fmt.number(f.messageIds.length)) : ''} {f.portIds.length ? countPorts(f.portIds.length) : ''}
                </span>
              </div>
            );
          })}
        </section>
      ))}
      <NotJudged line={skipped} />
      <Mismatches data={data} />
    </div>
  );
}

/** Rules this recording could not exercise (src/audit/evidence.ts): no finding from them means nothing. */
function NotJudged({ line }: { line: string | null }) {
  if (!line) return null;
  return (
    <p class="dim not-judged" data-testid="not-judged">
      {line}
    </p>
  );
}

/** Where the browser did what the page's model of the standard said it could not: a bug in one of them. */
function Mismatches({ data }: { data: Dataset }) {
  if (data.mismatches.length === 0) return null;
  return (
    <section class="finding-group mismatches" data-testid="mismatches">
      <h3>
        <span class="sev sev-info" aria-label={msg('fdSeverity_info')} />
        <span class="rule-title">{msg('fdMismatchTitle')}</span>
        <span class="count">{fmt.number(data.mismatches.length)}</span>
        <span class="dim">{msg('fdMismatchHint')}</span>
      </h3>
      {data.mismatches.map((m) => (
        <div class="finding" data-mismatch-context={m.contextId}>
          <span class="sev sev-info" />
          <span class="finding-text">
            {msg('fdMismatchLine', m.expected, m.actual)}
          </span>
          <span class="dim">{data.contexts.get(m.contextId)?.url ?? msg('fdContext', m.contextId)}</span>
        </div>
      ))}
    </section>
  );
}

/** "1 message" / "2 messages": the catalogues hold both forms (one form in CJK). */
export const countMessages = (n: number) => (n === 1 ? msg('countMessage1', fmt.number(n)) : msg('countMessages', fmt.number(n)));
export const countPorts = (n: number) => (n === 1 ? msg('countPort1', fmt.number(n)) : msg('countPorts', fmt.number(n)));
