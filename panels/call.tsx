// A decoded call (src/decode): its badged one-line label for the Messages table, and its
// section in Details, with the message that pairs with it and the latency of the pair.
import type { CallRecord, MessageRecord } from '../src/protocol/session';
import { messageById, type Dataset } from './model/dataset';
import { ms } from './model/format';
import { selectMessage } from './model/selection';
import type { Store } from './store';

export function CallLabel({ call }: { call: CallRecord }) {
  return (
    <>
      <span class={`proto-badge proto-${call.protocol}`}>{call.protocol}</span> <span class={`call-role role-${call.role}`}>{call.label}</span>
    </>
  );
}

export function CallDetails({ m, data, store }: { m: MessageRecord; data: Dataset; store: Store }) {
  const call = m.call;
  if (!call) return null;
  const other = call.pairedWith === null ? undefined : messageById(data, call.pairedWith);
  const otherName = call.role === 'request' ? 'Reply' : 'Request';
  return (
    <>
      <h4>Call</h4>
      <dl data-testid="call">
        <dt>Protocol</dt>
        <dd>
          <span class={`proto-badge proto-${call.protocol}`}>{call.protocol}</span> {call.role}
        </dd>
        <dt>Call</dt>
        <dd class="mono">{call.label}</dd>
        {call.id !== null && (
          <>
            <dt>Id</dt>
            <dd class="mono">{call.id}</dd>
          </>
        )}
        {(call.role === 'request' || call.role === 'response') && (
          <>
            <dt>{otherName}</dt>
            <dd>
              {call.pairedWith === null ? (
                <span class="dim">{call.role === 'request' ? 'none seen (yet)' : 'not seen'}</span>
              ) : other ? (
                <button class="link" data-testid="call-pair" onClick={() => store.select(selectMessage(other))}>
                  message {other.id}
                  {other.call ? ` · ${other.call.label}` : ''}
                </button>
              ) : (
                <span>message {call.pairedWith} (no longer in the recording)</span>
              )}
            </dd>
            <dt>Latency</dt>
            <dd>{call.latencyMs === null ? <span class="dim">—</span> : <b>{ms(call.latencyMs)}</b>}</dd>
          </>
        )}
      </dl>
    </>
  );
}
