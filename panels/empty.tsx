// What a new user sees before there is anything to show: what the panel does and the next step.
import type { Store } from './store';
import { msg } from './i18n';

export function EmptyState({ live, recording, store }: { live: boolean; recording: boolean; store: Store }) {
  if (!live) {
    return (
      <div class="empty" data-testid="empty">
        <h2>{msg('emOpenTitle')}</h2>
        <p>
          {msg('emDropBefore')} <b>{msg('tbOpenTrace')}</b> {msg('emDropAfter')}
        </p>
      </div>
    );
  }
  return (
    <div class="empty" data-testid="empty">
      <h2>{recording ? msg('emRecordingTitle') : msg('emNotRecordingTitle')}</h2>
      <p>{msg('emIntro')}</p>
      <p>
        {recording ? msg('emUsePage') : msg('emClickRecord')}{' '}
        <button class="link" onClick={() => store.command({ t: 'recordFromLoad' })}>
          {msg('emReloadRecord')}
        </button>
        {msg('emDropAlso')}
      </p>
    </div>
  );
}
