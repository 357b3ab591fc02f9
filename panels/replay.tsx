// Replay in Details: post the message again as it was, or edit its value, its target and
// its targetOrigin first. Logic lives in panels/model/replay.ts; the background and the
// page's instrumentation do the posting.
import { useMemo, useState } from 'preact/hooks';
import type { MessageRecord } from '../src/protocol/session';
import { messageById, type Dataset } from './model/dataset';
import { defaultTargetOrigin, prepareReplay, replayability, replayTargets } from './model/replay';
import { selectMessage } from './model/selection';
import type { Store } from './store';
import { msg } from './i18n';

interface Props {
  m: MessageRecord;
  store: Store;
  data: Dataset;
  live: boolean;
}

export function Replay({ m, store, data, live }: Props) {
  const r = useMemo(() => replayability(m, live), [m, live]);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState<string | null>(null);
  const [targetKey, setTargetKey] = useState('original');
  const [origin, setOrigin] = useState<string | null>(null);
  const [req, setReq] = useState<number | null>(null);
  const targets = useMemo(() => (editing ? replayTargets(data, m) : []), [editing, data.version, m]);
  const option = targets.find((t) => t.key === targetKey) ?? targets[0];
  const value = text ?? r.text;
  const targetOrigin = origin ?? (option ? defaultTargetOrigin(data, m, option) : '*');
  const prepared = editing && option ? prepareReplay(data, m, value, option, targetOrigin) : null;
  const reply = req !== null ? store.replies.get(req) : undefined;

  if (!r.can) return <p class="dim replay-why">{r.why}</p>;
  const replayAsIs = () => {
    const p = prepareReplay(data, m, r.text, { key: 'original', label: '', target: null, window: false }, '');
    if (p.ok) setReq(store.replay(m.id, p.value, null));
  };
  const send = () => {
    if (prepared?.ok) setReq(store.replay(m.id, prepared.value, prepared.target));
  };
  return (
    <div class="replay" data-testid="replay">
      <div class="replay-buttons">
        <button onClick={replayAsIs} disabled={!r.asIs} title={r.asIsWhy ?? msg('dtRpReplayTitle')} data-testid="replay-as-is">
          {msg('dtRpReplay')}
        </button>
        <button onClick={() => setEditing(!editing)} aria-expanded={editing} data-testid="replay-edit">
          {msg('dtRpEdit')}
        </button>
      </div>
      {!r.asIs && r.asIsWhy && <p class="dim replay-why">{r.asIsWhy}</p>}
      {editing && option && (
        <div class="replay-editor">
          <textarea
            class="replay-text"
            spellcheck={false}
            rows={Math.min(16, Math.max(3, value.split('\n').length + 1))}
            value={value}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            aria-label={msg('dtRpValue')}
            aria-invalid={prepared !== null && !prepared.ok && prepared.at !== null}
            data-testid="replay-text"
          />
          {prepared && !prepared.ok && (
            <p class="replay-error" role="alert" data-testid="replay-parse-error">
              {prepared.error}
            </p>
          )}
          <label class="replay-field">
            <span>{msg('dtRpTarget')}</span>
            <select value={option.key} onChange={(e) => setTargetKey((e.target as HTMLSelectElement).value)} data-testid="replay-target">
              {targets.map((t) => (
                <option value={t.key}>{t.label}</option>
              ))}
            </select>
          </label>
          {option.window && (
            <label class="replay-field">
              <span>targetOrigin</span>
              <input value={targetOrigin} onInput={(e) => setOrigin((e.target as HTMLInputElement).value)} data-testid="replay-origin" />
            </label>
          )}
          <button onClick={send} disabled={!prepared?.ok} data-testid="replay-send">
            {msg('dtRpSend')}
          </button>
        </div>
      )}
      {req !== null && <Result reply={reply} store={store} data={data} />}
    </div>
  );
}

function Result({ reply, store, data }: { reply: ReturnType<Store['replies']['get']>; store: Store; data: Dataset }) {
  if (!reply) return <p class="dim" data-testid="replay-result">{msg('dtRpSending')}</p>;
  if (!reply.ok) {
    return (
      <p class="replay-error" role="alert" data-testid="replay-result">
        {msg('dtRpNotReplayed', reply.error)}
      </p>
    );
  }
  const m = reply.messageId !== null ? messageById(data, reply.messageId) : undefined;
  // "Sent as $1.": the text around the link to the replayed message.
  const sentAs = msg('dtRpSentAs', '\u0001').split('\u0001');
  return (
    <p data-testid="replay-result">
      {reply.messageId === null ? (
        msg('dtRpSentPaused')
      ) : (
        <>
          {sentAs[0]}
          {m ? (
            <button class="link" onClick={() => store.select(selectMessage(m))}>
              {msg('dtRpMessage', reply.messageId)}
            </button>
          ) : (
            msg('dtRpMessage', reply.messageId)
          )}
          {sentAs[1]}
        </>
      )}
    </p>
  );
}
