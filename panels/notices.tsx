// One line per thing the recording misses or the user did not choose: a partial restore, a
// frame whose instrumentation failed, refused batches, every tab recorded by the test switch.
// The background says them (TabState.notices), each as a sentence worded here in the UI
// language; an open trace says its own (meta.notices), in English as it was exported.
import type { TabNotice } from '../src/protocol/messages';
import { inUiLanguage, msg } from './i18n';
import type { PanelState } from './store';

export function noticesOf(state: PanelState): TabNotice[] {
  if (state.trace) return state.trace.notices.map((message) => ({ kind: 'partial-restore', message }));
  return state.tab?.notices ?? [];
}

export function Notices({ state }: { state: PanelState }) {
  const notices = noticesOf(state);
  const recordAll = !state.trace && state.tab?.recordAll === true;
  if (!notices.length && !recordAll) return null;
  return (
    <div class="banner info" role="status" data-testid="notices">
      <span class="banner-text">
        {recordAll && (
          <div data-notice="record-all">{msg('noticeRecordAll')}</div>
        )}
        {notices.map((n, i) => (
          <div key={i} data-notice={n.kind} title={n.url}>
            {inUiLanguage(n.text, n.message)}
          </div>
        ))}
      </span>
    </div>
  );
}
